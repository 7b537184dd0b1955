"""Sending mail: over SMTP when configured, otherwise into a file outbox in the data
directory (so a laptop install loses nothing and shows what would have gone out)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path

from server.clock import now
from server.settings import Settings


def build_message(settings: Settings, *, to: str, subject: str, text: str, html: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def outbox_dir(settings: Settings) -> Path:
    return settings.data_dir / "outbox"


def send(settings: Settings, message: EmailMessage) -> str:
    """Returns where it went: 'smtp' or the outbox file's path."""
    if not settings.smtp_host:
        folder = outbox_dir(settings)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{now():%Y%m%dT%H%M%S%f}-{message['To'].replace('@', '_at_')}.eml"
        path.write_bytes(bytes(message))
        return str(path)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)
    return "smtp"
