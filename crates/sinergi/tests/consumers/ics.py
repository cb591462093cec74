"""Parses an iCalendar feed (stdin) with the icalendar package; prints its events as JSON."""
import json
import sys

import icalendar

cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
events = []
for e in cal.walk("VEVENT"):
    def text(name):
        v = e.get(name)
        return None if v is None else str(v)

    def when(name):
        v = e.get(name)
        return None if v is None else v.dt.isoformat()

    events.append({
        "uid": text("UID"),
        "summary": text("SUMMARY"),
        "url": text("URL"),
        "sequence": None if e.get("SEQUENCE") is None else int(e.get("SEQUENCE")),
        "last_modified": when("LAST-MODIFIED"),
        "dtstamp": when("DTSTAMP"),
        "dtstart": when("DTSTART"),
        "dtend": when("DTEND"),
    })
json.dump({"name": str(cal.get("X-WR-CALNAME")), "version": str(cal.get("VERSION")), "events": events}, sys.stdout)
