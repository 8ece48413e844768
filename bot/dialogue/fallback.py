"""What the bot says when it did not understand: help to rephrase, then hand over to a staff member."""

from __future__ import annotations

from bot.messages import Button, Reply

STAFF_AFTER = 2


def fallback_replies(consecutive_fallbacks: int) -> list[Reply]:
    """Replies for the n-th consecutive message the bot did not understand."""
    if consecutive_fallbacks >= STAFF_AFTER:
        return [Reply("Dạ, em xin lỗi vì vẫn chưa hiểu ý anh/chị. Em xin chuyển anh/chị sang cán bộ hỗ trợ ạ.")]
    return [
        Reply(
            "Dạ, em chưa hiểu rõ ý anh/chị. Anh/chị có thể hỏi ngắn gọn tên thủ tục và điều cần biết, ví dụ:\n"
            "• “Làm giấy khai sinh cần giấy tờ gì?”\n• “Lệ phí đổi căn cước bao nhiêu?”\n"
            "• “Tra cứu hồ sơ 000.00.31.H29-241105-0012”"
        )
    ]


# A message not understood while the conversation is about a dossier ("tai sao bi tra ve vay", "h e ra lấy lun
# dc hok"): said plainly, then that dossier's current record, which says why, what next and where.
NOT_UNDERSTOOD_ABOUT_DOSSIER = Reply(
    "Dạ, em chưa hiểu rõ ý anh/chị. Em gửi lại thông tin hồ sơ anh/chị vừa tra cứu; anh/chị cần gì thêm về hồ sơ "
    "này thì có thể gặp cán bộ ạ."
)

WRONG_ANSWER = Reply(
    "Dạ, em xin lỗi vì đã trả lời chưa đúng ý anh/chị, em đã ghi nhận để cải thiện. Anh/chị hỏi lại giúp em "
    "tên thủ tục và điều cần biết, hoặc gặp cán bộ để được hỗ trợ ạ.",
    [Button("Gặp cán bộ", "/request_human")],
)
