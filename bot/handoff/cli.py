"""`python -m bot staff create-admin|create`: handoff console accounts from the command line (DATABASE_URL).

Interactive by default (the password is asked twice, without echo); for scripts, pass --username and --name
and pipe the password with --password-stdin.
"""

from __future__ import annotations

import argparse
import sys
from getpass import getpass

from bot.handoff.accounts import Accounts, InvalidAccount
from bot.handoff.records import HandoffRecords, UsernameTaken
from bot.settings import Settings

COMMANDS = (("create-admin", "admin", "create an admin account"), ("create", "officer", "create an officer account"))


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `staff` command to the bot's command line."""
    staff = subparsers.add_parser("staff", help="staff accounts of the handoff console")
    actions = staff.add_subparsers(dest="action", required=True)
    for command, role, help_text in COMMANDS:
        parser = actions.add_parser(command, help=help_text)
        parser.add_argument("--username", help="login name: 3-32 lowercase letters, digits, . _ -")
        parser.add_argument("--name", help="display name, shown to citizens as 'Cán bộ <name>'")
        parser.add_argument("--password-stdin", action="store_true", help="read the password from stdin's first line")
        parser.set_defaults(handler=_create, role=role)


def _create(args: argparse.Namespace) -> int:
    username = args.username or input("Username: ")
    display_name = args.name or input("Display name: ")
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else _ask_password()
    if password is None:
        print("the passwords differ; nothing created")
        return 2
    records = HandoffRecords(Settings.from_env().database_url)
    try:
        member = Accounts(records).create(username, display_name, password, role=args.role)
    except InvalidAccount as exc:
        print(exc)
        return 2
    except UsernameTaken:
        print(f"the username {username!r} is taken; nothing created")
        return 2
    finally:
        records.close()
    print(f"{member.role} account {member.username!r} ({member.display_name}) created")
    return 0


def _ask_password() -> str | None:
    """The password typed twice; None when the two differ."""
    password = getpass("Password: ")
    return password if getpass("Repeat the password: ") == password else None
