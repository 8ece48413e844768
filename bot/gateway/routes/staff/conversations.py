"""The conversations handed to staff: the queue, one's own, a transcript, what an officer does with one, and
the canned replies."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import HTTPException, Request
from pydantic import BaseModel, Field

from bot.gateway.routes.staff.routing import console_router
from bot.gateway.routes.staff.security import AdminSession, StaffSession
from bot.handoff.desk import HandoffDesk
from bot.handoff.records import Conversation, State

NOT_WAITING = "Cuộc trò chuyện này không còn trong hàng chờ."
TAKEN_BY = "Cán bộ {name} đã nhận cuộc trò chuyện này trước."
NO_CONVERSATION = "Không tìm thấy cuộc trò chuyện."

router = console_router()


class Text(BaseModel):
    text: str = Field(..., max_length=4000)


class Transfer(BaseModel):
    to_officer_id: int


class CannedReplies(BaseModel):
    replies: list[str] = Field(..., max_items=100)


def _desk(request: Request) -> HandoffDesk:
    return request.app.state.desk


async def _conversation(request: Request, cid: str) -> Conversation:
    """A conversation the desk knows (one handed to staff at some point); 404 otherwise."""
    conversation = await asyncio.to_thread(request.app.state.records.conversation, cid)
    if conversation is None:
        raise HTTPException(404, NO_CONVERSATION)
    return conversation


async def _view(request: Request, cid: str) -> dict[str, Any]:
    """A conversation as the console shows it: its row and whole transcript (bot turns and notes included)."""
    conversation = await _conversation(request, cid)
    return {"conversation": conversation.as_dict(), "messages": await _desk(request).transcript(cid)}


@router.get("/api/queue")
async def queue(request: Request, session: StaffSession) -> dict[str, Any]:
    return {"conversations": await _desk(request).queue()}


@router.get("/api/mine")
async def mine(request: Request, session: StaffSession) -> dict[str, Any]:
    return {"conversations": await _desk(request).mine(session.staff)}


@router.get("/api/conversations/{cid:path}")
async def conversation(cid: str, request: Request, session: StaffSession) -> dict[str, Any]:
    return await _view(request, cid)


@router.post("/api/conversations/{cid:path}/claim")
async def claim(cid: str, request: Request, session: StaffSession) -> dict[str, Any]:
    """Of officers claiming at once exactly one gets 200; the others 409 with who was first."""
    if not await _desk(request).claim(cid, session.staff):
        raise HTTPException(409, await _claim_refusal(request, cid))
    return await _view(request, cid)


async def _claim_refusal(request: Request, cid: str) -> str:
    """Why a claim failed: who holds the conversation now, or that it left the queue."""
    conversation = await _conversation(request, cid)
    holder_id = conversation.officer_id if conversation.state is State.WITH_STAFF else None
    holder = await asyncio.to_thread(request.app.state.records.staff_member, holder_id) if holder_id else None
    return TAKEN_BY.format(name=holder.display_name) if holder else NOT_WAITING


@router.post("/api/conversations/{cid:path}/reply")
async def reply(cid: str, body: Text, request: Request, session: StaffSession) -> dict[str, Any]:
    await _desk(request).reply(cid, session.staff, body.text)
    return await _view(request, cid)


@router.post("/api/conversations/{cid:path}/note")
async def note(cid: str, body: Text, request: Request, session: StaffSession) -> dict[str, Any]:
    await _desk(request).note(cid, session.staff, body.text)
    return await _view(request, cid)


@router.post("/api/conversations/{cid:path}/transfer")
async def transfer(cid: str, body: Transfer, request: Request, session: StaffSession) -> dict[str, Any]:
    await _desk(request).transfer(cid, session.staff, body.to_officer_id)
    return await _view(request, cid)


@router.post("/api/conversations/{cid:path}/hand-back")
async def hand_back(cid: str, request: Request, session: StaffSession) -> dict[str, Any]:
    await _desk(request).hand_back(cid, session.staff)
    return await _view(request, cid)


@router.post("/api/conversations/{cid:path}/close")
async def close(cid: str, request: Request, session: StaffSession) -> dict[str, Any]:
    await _desk(request).close(cid, session.staff)
    return await _view(request, cid)


@router.get("/api/canned-replies")
async def canned_replies(request: Request, session: StaffSession) -> dict[str, Any]:
    return {"replies": await _desk(request).canned_replies()}


@router.put("/api/canned-replies")
async def set_canned_replies(body: CannedReplies, request: Request, session: AdminSession) -> dict[str, Any]:
    await _desk(request).set_canned_replies(session.staff, body.replies)
    return {"replies": await _desk(request).canned_replies()}
