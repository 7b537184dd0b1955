"""Settings whose value is one of a few words: read from the environment whatever the
case and spaces, and a typo stops start-up with a message that names the setting."""

import pytest

from server.settings import SettingError, Settings


@pytest.mark.parametrize("name, default, given, read, bad, message", [
    ("suggest", "balanced", "Sure", "sure", "always", "VOUCH_SUGGEST must be one of more, balanced, sure, not 'always'."),
    ("meaning", "on", " Off ", "off", "no", "VOUCH_MEANING must be on or off, not 'no'."),
])
def test_a_setting_of_a_few_words_is_read_and_checked(monkeypatch, name, default, given, read, bad, message):
    variable = f"VOUCH_{name.upper()}"
    monkeypatch.delenv(variable, raising=False)
    assert getattr(Settings.from_env(), name) == default
    monkeypatch.setenv(variable, given)
    assert getattr(Settings.from_env(), name) == read
    monkeypatch.setenv(variable, bad)
    with pytest.raises(SettingError) as error:
        Settings.from_env()
    assert str(error.value) == message
