"""No secret in the repository: bin/scan-secrets over every file git tracks."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCANNER = ROOT / "bin" / "scan-secrets"


def _scan(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCANNER), str(folder)], capture_output=True, text=True, timeout=120
    )


def test_no_file_in_the_repository_holds_a_secret():
    result = _scan(ROOT)

    assert result.returncode == 0, result.stdout


def test_the_scanner_finds_planted_secrets_and_passes_the_documented_demo_values(tmp_path):
    key_header = "-----BEGIN " + "RSA PRIVATE KEY-----"  # split so this file does not trip the scan
    (tmp_path / "deploy.pem").write_text(f"{key_header}\nMIIEowIBAAKCAQEA\n")
    # Built from pieces so that this file itself does not trip the scan.
    random_value, other_value = "r9#Vq2!mZx7$Lp4@Wd8^Kt1&Hs6*Bn3", "Tq8wZ3rP1xLm9VcK"
    (tmp_path / "settings.py").write_text(
        f'SECRET_KEY = "{random_value}"\n'
        f'EMAIL_HOST_PASSWORD = "{other_value}"\n'
        'DEMO_PASSWORD = "neighborhood-demo"\n'
        'INSECURE_DEV_KEY = "dev-only-insecure-key-never-use-in-production"\n'
        'PASSWORD_LABEL = "Enter your password"\n'
    )
    (tmp_path / "ci.env").write_text(
        "AWS_KEY=AKIA" + "ABCDEFGHIJKLMNOP\nDATABASE_URL=postgres://app:" + "S3cr3t-Pa55@db:5432/app\n"
    )
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)

    result = _scan(tmp_path)

    assert result.returncode == 1
    found = sorted(re.findall(r"^(\S+:\d+): ", result.stdout, re.M))
    assert found == ["ci.env:1", "ci.env:2", "deploy.pem:1", "settings.py:1", "settings.py:2"]
    assert "S3cr3t" not in result.stdout and "r9#Vq2" not in result.stdout  # never echoes a value
