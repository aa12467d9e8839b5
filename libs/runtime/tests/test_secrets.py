from pathlib import Path

import pytest

from igny8_runtime.secrets import SecretBox, SecretError, SecretsSettings


def test_round_trip_and_ciphertext_hides_plaintext() -> None:
    box = SecretBox([SecretBox.generate_key().encode()])
    token = box.encrypt("sk-live-123")
    assert "sk-live-123" not in token
    assert box.decrypt(token) == "sk-live-123"


def test_rotation_keeps_old_tokens_readable() -> None:
    old, new = SecretBox.generate_key(), SecretBox.generate_key()
    token = SecretBox.from_settings(SecretsSettings(secrets_keys=old)).encrypt("pw")
    rotated_box = SecretBox.from_settings(SecretsSettings(secrets_keys=f"{new},{old}"))
    assert rotated_box.decrypt(token) == "pw"
    rotated = rotated_box.rotate(token)
    assert SecretBox.from_settings(SecretsSettings(secrets_keys=new)).decrypt(rotated) == "pw"


def test_wrong_key_is_a_clear_error() -> None:
    token = SecretBox([SecretBox.generate_key().encode()]).encrypt("pw")
    with pytest.raises(SecretError):
        SecretBox([SecretBox.generate_key().encode()]).decrypt(token)


def test_key_file_is_created_once_and_reused(tmp_path: Path) -> None:
    settings = SecretsSettings(secrets_key_file=tmp_path / "k" / "secrets.key")
    token = SecretBox.from_settings(settings).encrypt("pw")
    assert (tmp_path / "k" / "secrets.key").stat().st_mode & 0o777 == 0o600
    assert SecretBox.from_settings(settings).decrypt(token) == "pw"
