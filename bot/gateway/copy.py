"""What the gateway itself says to citizens (everything else comes from Rasa)."""

RASA_UNAVAILABLE = (
    "Dạ, hệ thống đang bận nên em chưa trả lời ngay được. Em đã lưu tin nhắn của anh/chị "
    "và sẽ trả lời ngay khi xử lý xong ạ."
)
EMPTY_MESSAGE = "Dạ, em chưa nhận được nội dung. Anh/chị vui lòng nhập câu hỏi ạ."
TOO_LONG = "Dạ, tin nhắn dài quá {limit} ký tự nên em chưa đọc được. Anh/chị vui lòng gửi ngắn gọn hơn ạ."
RATE_LIMITED = "Dạ, anh/chị gửi nhanh quá, em chưa kịp trả lời. Anh/chị vui lòng đợi một chút rồi gửi tiếp ạ."
UNSUPPORTED = "Dạ, hiện em chỉ đọc được tin nhắn chữ. Anh/chị vui lòng gõ câu hỏi ạ."


def too_long(limit: int) -> str:
    return TOO_LONG.format(limit=f"{limit:,}".replace(",", "."))


HANDED_BACK = "Dạ, em là trợ lý ảo, em tiếp tục hỗ trợ anh/chị ạ."
HANDED_BACK_ON = "Dạ, em là trợ lý ảo, em tiếp tục hỗ trợ anh/chị về thủ tục “{name}” ạ. Anh/chị cần biết thêm gì ạ?"
HANDED_BACK_ASK = "Anh/chị cần hỏi thêm gì cứ nhắn em ạ."

TOO_MANY_CONVERSATIONS = (
    "Dạ, có quá nhiều cuộc trò chuyện mới từ cùng một kết nối mạng nên em tạm dừng tiếp nhận. "
    "Anh/chị vui lòng thử lại sau ít phút ạ."
)
HANDOFF_LIMITED = (
    "Dạ, có nhiều yêu cầu gặp cán bộ từ cùng một kết nối mạng nên em chưa chuyển được yêu cầu này. "
    "Anh/chị vui lòng thử lại sau, hoặc tiếp tục hỏi trợ lý ảo ạ."
)
