"""Free-mail providers and automatic senders: the one place that knows them.

An address at gmail.com says nothing about which company writes, so a free-mail domain never
matches a customer by domain (and cannot be given to one); a no-reply or notification sender
is a machine, never the customer."""

from __future__ import annotations

import re

# Providers anyone can sign up with, by exact domain.
FREE_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "passport.com",
    "yahoo.com", "ymail.com", "rocketmail.com", "aol.com", "aim.com", "icloud.com", "me.com", "mac.com",
    "proton.me", "protonmail.com", "pm.me", "tutanota.com", "tuta.io", "zoho.com", "zohomail.com",
    "mail.com", "email.com", "gmx.com", "gmx.net", "web.de", "t-online.de", "freenet.de", "posteo.de",
    "mailbox.org", "fastmail.com", "hey.com", "yandex.com", "ya.ru", "mail.ru", "bk.ru", "inbox.ru", "list.ru",
    "rambler.ru", "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sohu.com",
    "aliyun.com", "naver.com", "daum.net", "hanmail.net", "libero.it", "virgilio.it", "orange.fr", "free.fr",
    "laposte.net", "sfr.fr", "wanadoo.fr", "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "onet.pl",
    "rediffmail.com", "btinternet.com", "comcast.net", "verizon.net", "att.net", "sbcglobal.net",
})
# Providers with a domain per country (gmx.de, yahoo.co.uk, hotmail.fr, yandex.ru): by name.
FREE_MAIL_BRANDS = frozenset({"gmail", "gmx", "yahoo", "hotmail", "outlook", "yandex", "aol", "icloud"})

_NO_REPLY = re.compile(
    r"^(?:no[._-]?reply|do[._-]?not[._-]?reply|notifications?|notify|alerts?|mailer[._-]daemon|postmaster|"
    r"bounces?|automated|auto[._-]?reply|system)(?:[+._-].*)?$|no[._-]?reply")


def _brand(domain: str) -> str:
    """The provider's name in a domain: gmx in gmx.de, yahoo in yahoo.co.uk."""
    labels = domain.split(".")
    if len(labels) >= 3 and len(labels[-2]) <= 3:  # co.uk, com.br
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else domain


def is_free_mail(domain: str) -> bool:
    domain = domain.strip().lower().rstrip(".")
    return domain in FREE_MAIL_DOMAINS or _brand(domain) in FREE_MAIL_BRANDS


def is_automatic_sender(address: str) -> bool:
    """no-reply@, notifications@, mailer-daemon@ and the like: a machine, not the customer."""
    local = address.strip().lower().rpartition("@")[0]
    return bool(_NO_REPLY.search(local))
