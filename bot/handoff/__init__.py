"""Human handoff: staff take over a conversation from the bot in the console, then hand it back.

records.py (SQL), accounts.py and sessions.py (staff logins), office_hours.py (when staff answer),
desk.py (the state machine and what citizens are told), report.py (admin figures), cli.py (`staff` commands).
"""
