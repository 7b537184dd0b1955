"""The editor lists the placeholders by the body, and its preview and the card page show them as chips."""

from tests.web.pages import HTML, post_form, sign_in

CHIP = '<span class="placeholder" data-placeholder="customer.first_name">{{customer.first_name}}</span>'


def test_the_editor_explains_placeholders_and_the_preview_and_card_page_show_chips(client):
    f = client.factory
    sam = f.user("Sam", email="sam@example.test", password="correct horse")
    kb = f.collection("kb", verifier=sam)
    card = f.card(kb, sam, title="Greeting", body="Hi {{customer.first_name}}, `{{company}}`")
    sign_in(client, "sam@example.test", "correct horse")
    editor = client.get(f"/cards/{card.id}/edit", headers=HTML).text
    assert 'aria-describedby="placeholder-help"' in editor
    help_line = editor.split('id="placeholder-help"')[1].split("</p>")[0]
    for name in ("customer.name", "customer.first_name", "company", "agent.name", "agent.first_name", "fact:Plan"):
        assert f"<code>{{{{{name}}}}}</code>" in help_line
    assert CHIP in editor  # the preview as the page opens
    preview = post_form(client, "/cards/preview", {"body": "Hi {{customer.first_name}} {{unknown}}"})
    assert CHIP in preview.text and "{{unknown}}" in preview.text and preview.text.count("placeholder") == 2
    page = client.get(f"/cards/{card.id}", headers=HTML).text
    assert CHIP in page and "<code>{{company}}</code>" in page
    css = client.get("/static/app.css").text
    assert ".placeholder {" in css and ".placeholder-unfilled {" in css
