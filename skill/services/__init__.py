"""Clients of Alexa's REST APIs the core calls during a request: reminders and device settings.

Imported only by the requests that need them (their HTTP machinery is not part of a cold start).
"""
