"""Parses an RFC 5322 message (stdin) with Python's email package; prints it as JSON."""
import email
import email.policy
import email.utils
import json
import sys

raw = sys.stdin.buffer.read()
msg = email.message_from_bytes(raw, policy=email.policy.strict)
defects = [type(d).__name__ for part in msg.walk() for d in part.defects]
parts = []
if msg.is_multipart():
    for part in msg.iter_parts():
        parts.append({
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "text": part.get_content().replace("\r\n", "\n"),
        })
date = msg["Date"]
json.dump({
    "headers": {k: str(v) for k, v in msg.items()},
    "header_names": [k for k, _ in msg.items()],
    "content_type": msg.get_content_type(),
    "date": email.utils.parsedate_to_datetime(date).isoformat() if date else None,
    "to": [a for _, a in email.utils.getaddresses(msg.get_all("To", []))],
    "parts": parts,
    "defects": defects,
}, sys.stdout)
