"""Placeholders in cards: chips in the editor, values in a reply, and never a way in for HTML."""

import pytest

from server.accounts.models import User
from server.cards.placeholders import first_name, values_for
from server.facts.models import Customer, QuickFact
from server.markdown import fill_text, placeholders_in, render_markdown
from tests.html_checks import runnable_parts

HOSTILE = '<img src=x onerror=alert(1)>'


def chip(name: str) -> str:
    return f'<span class="placeholder" data-placeholder="{name}">{{{{{name}}}}}</span>'


def unfilled(name: str) -> str:
    return f'<mark class="placeholder-unfilled" data-placeholder="{name}">{{{{{name}}}}}</mark>'


def test_without_values_placeholders_are_chips_and_spaces_inside_braces_are_tolerated():
    html = render_markdown("Hi {{customer.first_name}}, from {{ agent.name }} at {{ fact : Plan }}.")
    assert html == (f"<p>Hi {chip('customer.first_name')}, from {chip('agent.name')} at {chip('fact:Plan')}.</p>\n")


def test_the_underscore_of_first_name_is_not_emphasis_even_twice_on_a_line():
    html = render_markdown("{{customer.first_name}} and {{agent.first_name}}")
    assert "<em>" not in html and html.count('class="placeholder"') == 2


def test_code_spans_and_fenced_code_are_left_as_written():
    source = "`{{company}}`\n\n```\n{{company}}\n```\n\n    {{company}}\n"
    html = render_markdown(source, values={"company": "Northwind"})
    assert "Northwind" not in html and "placeholder" not in html
    assert html.count("{{company}}") == 3
    assert fill_text(source, {"company": "Northwind"}) == source
    assert placeholders_in(source) == []


@pytest.mark.parametrize("source", ["{{customer.email}}", "{{Company}}", "{{ nope }}", "{{fact:}}", "{{}}",
                                    "{company}", "\\{{company}}", "{{foo_bar}}"])
def test_anything_else_in_braces_is_literal_text(source):
    html = render_markdown(source, values={"company": "Northwind"})
    assert "placeholder" not in html and "Northwind" not in html and "<em>" not in html
    assert fill_text(source, {"company": "Northwind"}) == source


def test_values_are_filled_as_text_and_missing_ones_stay_visible_and_marked():
    source = "Hi {{customer.first_name}}, your plan is **{{fact:Plan}}**. — {{agent.first_name}}"
    values = {"customer.first_name": HOSTILE, "agent.first_name": "Sam", "fact:Plan": ""}
    html = render_markdown(source, values=values)
    assert html == (f"<p>Hi &lt;img src=x onerror=alert(1)&gt;, your plan is <strong>{unfilled('fact:Plan')}"
                    "</strong>. — Sam</p>\n")
    assert runnable_parts(html) == []
    assert fill_text(source, values) == f"Hi {HOSTILE}, your plan is **{{{{fact:Plan}}}}**. — Sam"


def test_hostile_values_and_labels_cannot_make_markup():
    for value in [HOSTILE, '"><script>alert(1)</script>', "[x](javascript:alert(1))", "**bold**"]:
        html = render_markdown("{{company}}", values={"company": value})
        assert runnable_parts(html) == [] and "<script" not in html and "<strong>" not in html
    label_html = render_markdown('{{fact:"><b onmouseover=alert(1)>}}')
    assert runnable_parts(label_html) == [] and "<b" not in label_html


def test_the_sanitizer_keeps_only_placeholder_classes():
    from server.markdown import sanitize_html

    kept = sanitize_html(chip("company") + unfilled("company"))
    assert kept == chip("company") + unfilled("company")
    assert sanitize_html('<span class="evil" data-placeholder="company">x</span>') == \
        '<span data-placeholder="company">x</span>'
    assert sanitize_html('<span data-placeholder="x onerror">x</span><mark style="x">y</mark>') == \
        "<span>x</span><mark>y</mark>"


def test_placeholders_in_lists_what_the_reply_shows_once_in_order():
    assert placeholders_in("{{company}} {{agent.name}} {{company}} `{{customer.name}}`") == ["company", "agent.name"]


@pytest.mark.parametrize("name, first", [("Maria Garcia", "Maria"), ("  Maria  ", "Maria"), ("Garcia, Maria", "Maria"),
                                         ("maria@northwind.example", ""), ("", ""), (None, ""), ("李雷", "李雷")])
def test_first_name(name, first):
    assert first_name(name) == first


def test_values_come_from_the_contact_the_account_its_facts_and_the_agent():
    agent = User(name="Sam Agent", email="sam@example.test")
    customer = Customer(name="Northwind Traders", slug="northwind")
    facts = [QuickFact(customer_id=1, text="Renews on 1 March."), QuickFact(customer_id=1, text="plan: Enterprise \nsince 2024"),
             QuickFact(customer_id=1, text="**CSM:** Dana Lee"), QuickFact(customer_id=1, text="Plan: Starter")]
    names = ["customer.name", "customer.first_name", "company", "agent.name", "agent.first_name", "fact:Plan",
             "fact:csm", "fact:Renewal date"]
    values = values_for(names, agent=agent, contact_name="Maria Garcia", customer=customer, facts=facts)
    assert values == {"customer.name": "Maria Garcia", "customer.first_name": "Maria", "company": "Northwind Traders",
                      "agent.name": "Sam Agent", "agent.first_name": "Sam", "fact:Plan": "Enterprise",
                      "fact:csm": "Dana Lee"}
    nobody = values_for(names, agent=agent, contact_name="maria@northwind.example")
    assert nobody == {"agent.name": "Sam Agent", "agent.first_name": "Sam"}
