"""The latest message's own words: no quoted earlier messages, signatures, sign-offs or
disclaimers, in every language we serve, whether the email keeps its lines or arrives
flattened onto one."""

import pytest

from server.search.conversation import request_text

MARIA = ("Hello Lumen team, we noticed that our card was charged twice for the March subscription. "
         "Could you please refund the duplicate payment?")


@pytest.mark.parametrize("text,expected", [
    # English: reply headers, kept lines or flattened, and Outlook's.
    ("Hi Anna,\n\nYes please go ahead.\n\nOn Tue, 3 Mar 2026 at 10:00, Anna Example <anna@example.com> wrote:\n"
     "> Shall I refund the second charge of your March invoice?\n> Anna",
     "Hi Anna,\n\nYes please go ahead."),
    ("Yes please go ahead. On Tue, 3 Mar 2026 at 10:00, Anna Example <anna@example.com> wrote: Shall I refund "
     "the second charge of your March invoice?",
     "Yes please go ahead."),
    ("Please send the corrected invoice.\n\nOn Tue, 3 Mar 2026 at 10:00 AM Anna Example <\n"
     "anna@example.com> wrote:\n> Here is the invoice you asked for.",
     "Please send the corrected invoice."),
    ("Please send the corrected invoice.\n\n-----Original Message-----\nFrom: Anna Example\n"
     "Sent: Tuesday, March 3, 2026 10:00 AM\nSubject: Your refund\n\nWe refunded the second charge.",
     "Please send the corrected invoice."),
    ("Please send the corrected invoice. From: Anna Example Sent: Tuesday, March 3, 2026 10:00 AM To: Maria "
     "Subject: Your refund We refunded the second charge.",
     "Please send the corrected invoice."),
    # English: signatures, sign-offs, the mail app's line and the disclaimer.
    (MARIA + "\n\nKind regards,\nMaria Santos\nOffice Manager\nHarbor Pine Dental\n\nSent from my iPhone",
     MARIA),
    (MARIA + " Kind regards, Maria Santos, Office Manager, Harbor Pine Dental, 42 Seaside Avenue, Portland. "
     "Sent from my iPhone. CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and "
     "intended solely for the addressee.",
     MARIA),
    (MARIA + "\n-- \nMaria Santos | Harbor Pine Dental | +1 555 0100", MARIA),
    (MARIA + " This e-mail and any attachments are confidential and may be privileged.", MARIA),
    (MARIA + "\n\nDISCLAIMER: The information in this message is intended only for the addressee.", MARIA),
    ("Since yesterday the text message reminders do not go out. Can you look into it urgently? "
     "Thanks, Dr. Jonas Berg, Orbit Fitness",
     "Since yesterday the text message reminders do not go out. Can you look into it urgently?"),
    ("Could you confirm you received my message from Tuesday? Best, Anna",
     "Could you confirm you received my message from Tuesday?"),
    ("Our calendar no longer syncs with Google.\nCheers,\nTom", "Our calendar no longer syncs with Google."),
    # Turkish
    ("Evet, lütfen iadeyi yapın.\n\nAnna Example <anna@example.com>, 3 Mar 2026 Sal, 10:00 tarihinde şunu "
     "yazdı:\n> İkinci ödemeyi iade edelim mi?",
     "Evet, lütfen iadeyi yapın."),
    ("Evet, lütfen iadeyi yapın. Anna Example <anna@example.com>, 3 Mar 2026 Sal, 10:00 tarihinde şunu yazdı: "
     "İkinci ödemeyi iade edelim mi?",
     "Evet, lütfen iadeyi yapın."),
    ("Merhaba, geçen ay iki kez ödeme alındı, iadesini istiyoruz.\n\nSaygılarımla,\nAyşe Yılmaz\nMuhasebe Müdürü",
     "Merhaba, geçen ay iki kez ödeme alındı, iadesini istiyoruz."),
    ("Merhaba, geçen ay iki kez ödeme alındı, iadesini istiyoruz. İyi çalışmalar, Ayşe Yılmaz, Deniz Diş Kliniği",
     "Merhaba, geçen ay iki kez ödeme alındı, iadesini istiyoruz."),
    # Estonian
    ("Jah, palun tehke tagasimakse.\n\nT, 3. märts 2026 kell 10:00 Anna Example <anna@example.com> kirjutas:\n"
     "> Kas teeme teise makse tagasi?",
     "Jah, palun tehke tagasimakse."),
    ("Jah, palun tehke tagasimakse. T, 3. märts 2026 kell 10:00 Anna Example <anna@example.com> kirjutas: "
     "Kas teeme teise makse tagasi?",
     "Jah, palun tehke tagasimakse."),
    ("Tere, meilt võeti makse kaks korda, palun tehke tagasimakse.\n\nLugupidamisega\nMari Tamm\nHambakliinik OÜ",
     "Tere, meilt võeti makse kaks korda, palun tehke tagasimakse."),
    ("Tere, meilt võeti makse kaks korda, palun tehke tagasimakse. Parimate soovidega, Mari Tamm, raamatupidaja",
     "Tere, meilt võeti makse kaks korda, palun tehke tagasimakse."),
    # Chinese
    ("好的，请继续处理。\n\n在 2026年3月3日 周二 10:00，Anna Example <anna@example.com> 写道：\n> 要退还第二笔扣款吗？",
     "好的，请继续处理。"),
    ("好的，请继续处理。Anna Example <anna@example.com> 于2026年3月3日周二 10:00写道：要退还第二笔扣款吗？",
     "好的，请继续处理。"),
    ("你好，上个月被重复扣费了，我想申请退款。\n\n此致\n敬礼\n王伟\n财务经理", "你好，上个月被重复扣费了，我想申请退款。"),
    ("你好，上个月被重复扣费了，我想申请退款。祝好，王伟 发自我的iPhone", "你好，上个月被重复扣费了，我想申请退款。"),
    ("你好，上个月被重复扣费了，我想申请退款。顺祝商祺！王伟", "你好，上个月被重复扣费了，我想申请退款。"),
])
def test_only_the_latest_message_is_kept(text, expected):
    assert request_text(text) == expected


def test_an_answer_between_quoted_lines_is_kept():
    text = ("> Did the export work?\nNo, the PDF export still opens an empty tab.\n> Which browser?\n"
            "Safari 17 on macOS.\n-- \nMaria")
    assert request_text(text) == "No, the PDF export still opens an empty tab.\nSafari 17 on macOS."


@pytest.mark.parametrize("text", [
    "Thanks, that worked! Have a great weekend.",
    "Thanks to the new export, the monthly reports finally load in seconds.",
    "The monthly reports load in seconds now, thanks to the new export.",
    "Thanks for the quick help yesterday, all good now.",
    "The export fails in Safari. Thanks, but the workaround did not help, it still opens an empty tab.",
    "Which plan is best, Team or Business? We need twelve seats.",
    "Anna wrote: the fix is live, but our calendar still does not sync.",
    "İyi çalışmalar, faturamızda bir hata var, iki kez ödeme alındı ve iadesini istiyoruz.",
    "Fatura hatası\nİyi çalışmalar,\nfaturamızda bir hata var, iki kez ödeme alındı ve iadesini istiyoruz.",
    "Aitäh, nüüd kõik töötab. Head päeva!",
    "谢谢你们的帮助，现在一切正常了。",
    "祝你好运，我们的导出功能坏了，请帮忙看看。",
])
def test_a_message_without_a_signature_keeps_its_words(text):
    assert request_text(text) == text


@pytest.mark.parametrize("text", [
    "Kind regards,\nMaria Santos\nOffice Manager",
    "-- \nMaria Santos\nOffice Manager",
    "Sent from my iPhone",
    "> Shall I refund the second charge?\n> Anna",
    "On Tue, 3 Mar 2026 at 10:00, Anna Example <anna@example.com> wrote:\n> Shall I refund the second charge?",
    "此致\n敬礼\n王伟",
])
def test_a_message_that_is_only_a_signature_or_quote_comes_back_unchanged(text):
    assert request_text(text) == text


def test_what_comes_before_a_sign_off_survives():
    """Suggest puts the subject first; cutting at the sign-off never reaches it."""
    text = "Refund for the March charge\nRefund for the March charge\nYes please.\nThanks,\nMaria"
    assert request_text(text) == "Refund for the March charge\nRefund for the March charge\nYes please."
