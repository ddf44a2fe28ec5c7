"""``revclient sandbox`` as the Rev.io guide's own curl + jq scripts see it.

The scripts are the developer guide's (``/work/shared/seeds``: "Complete Script Example" and
"Token Expiration"), verbatim except for the three settings they ask the reader to fill in.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from sandbox_process import clean_env, sandbox_process

_MISSING = [tool for tool in ("bash", "curl", "jq") if shutil.which(tool) is None]
if _MISSING:
    _WHY = f"not installed: {', '.join(_MISSING)} (apt-get install curl jq; .ci/run does)"
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{_WHY}; required in CI", pytrace=False)  # CI never skips these
    pytest.skip(_WHY, allow_module_level=True)

SETTINGS = """\
API_KEY="$REVIO_API_KEY"
BASE_URL="$REVIO_BASE_URL"
REVIO_HOST="$REVIO_HOST"
"""

# The guide's complete script after its settings block.
COMPLETE_SCRIPT = r"""
# Step 1: Exchange API key for JWT token
echo "Exchanging API key for JWT token..."
RESPONSE=$(curl -s -X POST "$BASE_URL/api/v1/auth/api-key/exchange" \
-H "Content-Type: application/json" \
-d "{\"apiKey\": \"$API_KEY\"}")
# Step 2: Extract token from response
TOKEN=$(echo "$RESPONSE" | jq -r '.data.token')
if [ "$TOKEN" = "null" ] || [ -z "$TOKEN" ]; then
echo "Error: Failed to get token"
echo "Response: $RESPONSE"
exit 1
fi
echo "Successfully obtained JWT token"
# Step 3: Use token to make API requests
echo "Making API request to get contacts..."
curl -X GET "$BASE_URL/billing/api/v1/contacts" \
-H "Authorization: Bearer $TOKEN" \
-H "X-Revio-Host: $REVIO_HOST" \
-H "Content-Type: application/json"
"""

# The guide's token-expiry check (its URL made the sandbox's), then what it leaves to the
# reader: "Re-run token exchange process".
EXPIRY_CHECK = r"""
HTTP_STATUS=$(curl -s -o /dev/null -w "%{http_code}" \
-X GET $BASE_URL/billing/api/v1/contacts \
-H "Authorization: Bearer $TOKEN")
if [ "$HTTP_STATUS" = "401" ]; then
echo "Token expired, re-exchanging..."
TOKEN=$(curl -s -X POST "$BASE_URL/api/v1/auth/api-key/exchange" \
-H "Content-Type: application/json" \
-d "{\"apiKey\": \"$API_KEY\"}" | jq -r '.data.token')
fi
curl -s -o /dev/null -w "after: %{http_code}\n" "$BASE_URL/billing/api/v1/contacts" \
-H "Authorization: Bearer $TOKEN" -H "X-Revio-Host: $REVIO_HOST"
"""


def bash(script: str, exports: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", "set -u\n" + SETTINGS + script],
        env=clean_env(**exports),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_guides_complete_script_runs_against_the_sandbox() -> None:
    with sandbox_process("--records", "3") as exports:
        done = bash(COMPLETE_SCRIPT, exports)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:3] == [
        "Exchanging API key for JWT token...",
        "Successfully obtained JWT token",
        "Making API request to get contacts...",
    ]
    contacts = json.loads("".join(lines[3:]))["data"]
    assert [c["contactId"] for c in contacts] == [1, 2, 3]


def test_an_invalid_key_is_a_4xx_as_the_guide_says() -> None:
    script = r"""
curl -s -X POST $BASE_URL/api/v1/auth/api-key/exchange \
-H "Content-Type: application/json" \
-d '{"apiKey": "invalid-key"}' \
-w "\nHTTP Status: %{http_code}\n"
"""
    with sandbox_process("--records", "1") as exports:
        done = bash(script, exports)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "HTTP Status: 401"


def test_the_guides_token_expiry_check_sees_a_401_and_recovers() -> None:
    ttl = 0.5
    with sandbox_process("--records", "1", "--token-ttl", str(ttl)) as exports:
        fresh = bash(
            COMPLETE_SCRIPT.replace('curl -X GET "$BASE_URL/billing', ': "$BASE_URL/billing')
            + EXPIRY_CHECK,
            exports,
        )
        start = time.monotonic()
        expired = bash(
            COMPLETE_SCRIPT.replace('curl -X GET "$BASE_URL/billing', ': "$BASE_URL/billing')
            + f"sleep {ttl + 0.3}\n"
            + EXPIRY_CHECK,
            exports,
        )
        assert time.monotonic() - start < 30
    # A fresh token is not "expired" (the check sends no X-Revio-Host, so it gets a 400).
    assert fresh.returncode == 0 and "re-exchanging" not in fresh.stdout, fresh.stderr
    assert fresh.stdout.splitlines()[-1] == "after: 200"
    assert expired.returncode == 0, expired.stderr
    assert "Token expired, re-exchanging..." in expired.stdout
    assert expired.stdout.splitlines()[-1] == "after: 200"


def test_demo_keys_survive_a_restart_unless_random_keys_are_asked_for() -> None:
    with sandbox_process("--records", "1") as first:
        pass
    with sandbox_process("--records", "1") as again:
        pass
    with sandbox_process("--records", "1", "--seed", "other") as other:
        pass
    with sandbox_process("--records", "1", "--random-keys") as random:
        pass
    keys = ("REV23_API_KEY", "REVIO_API_KEY")
    assert [first[k] for k in keys] == [again[k] for k in keys]
    assert first["REV23_BASE_URL"] != "" and first["REV23_API_KEY"].startswith("ca_")
    assert all(other[k] != first[k] and random[k] != first[k] for k in keys)


def test_the_readmes_status_filter_reaches_the_sandbox() -> None:
    # README: revclient pull revio tickets --concurrency 4 --param status=open --format json
    command = [sys.executable, "-m", "revclient.cli", "pull", "revio", "tickets", "-q"]
    with sandbox_process("--records", "40") as exports:
        env = clean_env(**exports)
        every, open_ = (
            subprocess.run(
                [*command, *extra, "--concurrency", "4", "--format", "json"],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            for extra in ((), ("--param", "status=open"))
        )
    assert every.returncode == 0 and open_.returncode == 0, every.stderr + open_.stderr
    rows, open_rows = json.loads(every.stdout), json.loads(open_.stdout)
    assert len(rows) == 40 and open_rows == [r for r in rows if r["ticketState"] == "Open"]
    assert 0 < len(open_rows) < 40
