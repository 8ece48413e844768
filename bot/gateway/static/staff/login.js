/* The login form: the API answers with a session cookie, or a Vietnamese message (wrong password, locked). */
import { api } from "/staff/static/common.js";

const form = document.getElementById("login");
const error = document.getElementById("login-error");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const username = form.username.value.trim();
  const password = form.password.value;
  if (!username || !password) {
    showError("Vui lòng nhập tên đăng nhập và mật khẩu.");
    return;
  }
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    await api("POST", "/staff/api/login", { username, password });
    location.assign("/staff");
  } catch (failure) {
    showError(failure.message);
    form.password.value = "";
    form.password.focus();
  } finally {
    button.disabled = false;
  }
});

function showError(message) {
  error.textContent = message;
  error.hidden = false;
}
