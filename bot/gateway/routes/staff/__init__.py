"""The staff console at /staff: login, the live queue and conversations, the admin's pages, a JSON API and a
WebSocket of console events.

Access: the login page, the login API and the console's static files are public; every other page needs a
session (or redirects to /staff/login), every other API call answers 401 without one, and the WebSocket closes
with 4401. Admin routes answer 403 to officers. The session is an HttpOnly, SameSite=Strict cookie scoped to
/staff (Secure over https); each state-changing call also carries the session's CSRF token in X-CSRF-Token,
which the pages hold in a <meta> tag. The login form is protected by a double-submit token: a cookie set with
the login page, echoed in the header.

Pages are static files in bot/gateway/static/staff/ that render data with textContent only; the server puts
nothing but the CSRF token into them. Every console response carries a strict Content-Security-Policy.

Pages: GET /staff/login, GET /staff (the console), admin: GET /staff/report, GET /staff/admin.
API (JSON; errors are {"detail": "<Vietnamese>"}):
  POST /staff/api/login {username, password}, POST /staff/api/logout, GET /staff/api/me
  GET /staff/api/queue, GET /staff/api/mine, GET /staff/api/conversations/{id}
  POST /staff/api/conversations/{id}/claim | reply {text} | note {text} | transfer {to_officer_id} |
       hand-back | close
  GET /staff/api/staff, GET /staff/api/canned-replies
  admin: POST /staff/api/staff, POST /staff/api/staff/{id}/deactivate, GET|PUT /staff/api/office-hours,
       PUT /staff/api/canned-replies, GET /staff/api/report?start&end, GET /staff/api/audit?limit,
       GET /staff/api/catalogue, POST /staff/api/catalogue/import
WebSocket /staff/ws: {"type": "ready"} once subscribed, then the desk's events (waiting, message, claimed,
transferred, closed, cancelled).

Modules: security (headers, cookies, sessions), routing (the console's route class), pages, auth,
conversations, accounts, admin, catalogue, live (the WebSocket).
"""

from __future__ import annotations

from fastapi import APIRouter

from bot.gateway.routes.staff import accounts, admin, auth, catalogue, conversations, live, pages
from bot.gateway.routes.staff.pages import STATIC
from bot.gateway.routes.staff.security import LOGIN_COOKIE, SESSION_COOKIE

__all__ = ["LOGIN_COOKIE", "SESSION_COOKIE", "STATIC", "router"]

router = APIRouter()
for part in (pages, auth, conversations, accounts, admin, catalogue, live):
    router.include_router(part.router)
