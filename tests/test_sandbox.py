"""Tests of revclient.testing.Sandbox itself, with raw aiohttp (not the revclient client)."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp
import pytest

from revclient.testing import ENVELOPES, FAULTS, METAS, Sandbox
from revclient.testing.pytest_plugin import revclient_sandbox  # noqa: F401  (fixture)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    # A fresh connection per request: aiohttp silently retries idempotent requests once
    # when a reused keep-alive connection drops, which would hide drop faults.
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=connector) as s:
        yield s


def rev23_headers(sb: Sandbox) -> dict[str, str]:
    return {"X-Api-Key": sb.rev23_api_key, "X-Tenant-Name": sb.rev23_tenant}


async def exchange(s: aiohttp.ClientSession, sb: Sandbox, key: str | None = None) -> str:
    async with s.post(
        f"{sb.url}/api/v1/auth/api-key/exchange", json={"apiKey": key or sb.revio_api_key}
    ) as r:
        assert r.status == 200, await r.text()
        body = await r.json()
    token = body["data"]["token"]
    assert isinstance(token, str)
    return token


def revio_headers(sb: Sandbox, token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "X-Revio-Host": sb.revio_host}


def jwt_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert isinstance(claims, dict)
    return claims


async def get(
    s: aiohttp.ClientSession, url: str, headers: dict[str, str], **params: Any
) -> tuple[int, Any, aiohttp.ClientResponse]:
    async with s.get(url, headers=headers, params=params or None) as r:
        raw = await r.read()
        return r.status, (json.loads(raw) if raw else None), r


# ------------------------------------------------------------------------------- REV23


async def test_rev23_auth_and_records(session: aiohttp.ClientSession) -> None:
    async with Sandbox(records=30) as sb:
        assert sb.url.startswith("http://127.0.0.1:")
        assert sb.rev23_api_key.startswith("ca_") and len(sb.rev23_api_key) == 43
        url = f"{sb.url}/api/v2/customers"
        expected = {"message": "Missing or invalid API key or studio name"}
        for headers in (
            {},
            {"X-Api-Key": sb.rev23_api_key},
            {"X-Api-Key": "ca_wrong", "X-Tenant-Name": sb.rev23_tenant},
            {"X-Api-Key": sb.rev23_api_key, "X-Tenant-Name": "other"},
        ):
            status, body, _ = await get(session, url, headers)
            assert (status, body) == (401, expected)
        status, body, r = await get(session, url, rev23_headers(sb))
        assert status == 200 and r.content_type == "application/json"
        assert body["page"] == 1 and body["pageSize"] == 50
        assert body["totalCount"] == 30 and body["hasMore"] is False
        assert [c["id"] for c in body["data"]] == list(range(1, 31))
        status, one, _ = await get(session, f"{url}/7", rev23_headers(sb))
        assert status == 200 and one == body["data"][6]
        assert one["createdAt"].endswith("Z") and len(one["birthdate"]) == 10
        assert "loyaltyTier" in one and {"firstName", "postalCode", "notes"} <= set(one)
        status, missing, _ = await get(session, f"{url}/31", rev23_headers(sb))
        assert (status, missing) == (404, {"message": "Customer not found"})
        # 401s are not counted toward the key.
        assert sb.stats.keys["rev23"].arrivals and len(sb.stats.keys["rev23"].arrivals) == 3
    async with Sandbox(records=30) as sb2:
        _, again, _ = await get(session, f"{sb2.url}/api/v2/customers/7", rev23_headers(sb2))
        assert again == one  # deterministic seed data
        assert sb2.rev23_api_key != sb.rev23_api_key  # random keys unless a seed is given


def test_seeded_keys_are_stable_and_distinct() -> None:
    first, again, other = Sandbox(seed=7), Sandbox(seed="7"), Sandbox(seed=8)
    assert (first.rev23_api_key, first.revio_api_key) == (
        again.rev23_api_key,
        again.revio_api_key,
    )
    assert first.rev23_api_key.startswith("ca_") and len(first.rev23_api_key) == 43
    assert other.rev23_api_key != first.rev23_api_key
    assert other.revio_api_key != first.revio_api_key
    assert Sandbox(seed=7, rev23_api_key="ca_mine").rev23_api_key == "ca_mine"
    with pytest.raises(TypeError):
        Sandbox(seed=1.5)  # type: ignore[arg-type]


async def test_unknown_paths_and_bad_params(session: aiohttp.ClientSession) -> None:
    async with Sandbox() as sb:
        status, body, _ = await get(session, f"{sb.url}/nope", {})
        assert status == 404 and "message" in body
        status, body, _ = await get(
            session, f"{sb.url}/api/v2/customers", rev23_headers(sb), page=0
        )
        assert status == 400 and "message" in body
        status, _, _ = await get(session, f"{sb.url}/api/v2/nope", rev23_headers(sb))
        assert status == 404


# ------------------------------------------------------------------------------- Rev.io auth


async def test_revio_exchange_and_jwt(session: aiohttp.ClientSession) -> None:
    async with Sandbox(token_ttl=120.0) as sb:
        before = time.time()
        token = await exchange(session, sb)
        claims = jwt_claims(token)
        assert token.count(".") == 2
        assert {"sub", "iat", "exp", "jti"} <= set(claims)
        assert sb.revio_api_key not in token and claims["sub"] != sb.revio_api_key
        assert before + 119 <= claims["exp"] <= time.time() + 121
        header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
        assert header["alg"] == "HS256"

        url = f"{sb.url}/api/v1/auth/api-key/exchange"
        async with session.post(url, json={"apiKey": "nope"}) as r:
            assert r.status == 401 and r.content_type == "application/problem+json"
            assert await r.json() == {
                "type": "about:blank",
                "title": "Unauthorized",
                "status": 401,
                "detail": "Invalid API key",
            }
        for data in (b"not json", b'{"apiKey": 5}', b"[]"):
            async with session.post(url, data=data) as r:
                assert r.status == 400 and (await r.json())["status"] == 400

        contacts = f"{sb.url}/billing/api/v1/contacts"
        status, body, _ = await get(session, contacts, revio_headers(sb, token))
        assert status == 200 and list(body) == ["data"] and len(body["data"]) == 50
        cases = [
            ({"X-Revio-Host": sb.revio_host}, 401, "Missing bearer token"),
            (revio_headers(sb, token[:-3] + "AAA"), 401, "Invalid token"),
            (revio_headers(sb, "garbage"), 401, "Invalid token"),
            ({"Authorization": f"Bearer {token}"}, 400, "Missing X-Revio-Host header"),
            ({**revio_headers(sb, token), "X-Revio-Host": "x.psarev.io"}, 401, None),
        ]
        for headers, want, detail in cases:
            status, body, _ = await get(session, contacts, headers)
            assert status == want and body["status"] == want
            assert detail is None or body["detail"] == detail
        stats = sb.stats.keys["revio"]
        assert stats.exchanges == 1 and len(stats.arrivals) == 2  # exchange + one good call


async def test_token_expiry_expire_tokens_and_revoke(session: aiohttp.ClientSession) -> None:
    async with Sandbox(token_ttl=0.2) as sb:
        contacts = f"{sb.url}/billing/api/v1/contacts/1"
        token = await exchange(session, sb)
        assert (await get(session, contacts, revio_headers(sb, token)))[0] == 200
        await asyncio.sleep(0.25)
        status, body, _ = await get(session, contacts, revio_headers(sb, token))
        assert (status, body["detail"]) == (401, "Token expired")

    async with Sandbox() as sb:
        contacts = f"{sb.url}/billing/api/v1/contacts/1"
        old = await exchange(session, sb)
        sb.expire_tokens()
        status, body, _ = await get(session, contacts, revio_headers(sb, old))
        assert (status, body["detail"]) == (401, "Token expired")
        new = await exchange(session, sb)
        assert (await get(session, contacts, revio_headers(sb, new)))[0] == 200

        sb.revoke("revio")
        status, body, _ = await get(session, contacts, revio_headers(sb, new))
        assert status == 401
        async with session.post(
            f"{sb.url}/api/v1/auth/api-key/exchange", json={"apiKey": sb.revio_api_key}
        ) as r:
            assert r.status == 401
        assert sb.stats.keys["revio"].failed_exchanges == 1
        sb.restore("revio")
        await exchange(session, sb)

        sb.revoke("rev23")
        status, _, _ = await get(session, f"{sb.url}/api/v2/customers", rev23_headers(sb))
        assert status == 401


# ------------------------------------------------------------------------------- paging


def extract(body: Any, envelope: str) -> tuple[list[Any], dict[str, Any]]:
    if envelope == "bare":
        assert isinstance(body, list)
        return body, {}
    container = body["data"] if envelope == "data.items" else body
    key = "items" if envelope == "data.items" else envelope
    meta = {k: v for k, v in container.items() if k != key}
    return container[key], meta


async def pull_all(
    s: aiohttp.ClientSession, url: str, headers: dict[str, str], size_param: str, envelope: str
) -> list[Any]:
    items: list[Any] = []
    page, cursor = 1, None
    for _ in range(100):
        params: dict[str, Any] = {size_param: 4}
        if cursor:
            params["nextCursor"] = cursor
        else:
            params["page"] = page
        status, body, _ = await get(s, url, headers, **params)
        assert status == 200
        chunk, meta = extract(body, envelope)
        items.extend(chunk)
        if "hasMore" in meta:
            more = meta["hasMore"]
        elif "totalCount" in meta:
            more = page * 4 < meta["totalCount"]
        elif "nextCursor" in meta:
            cursor = meta["nextCursor"]
            more = cursor is not None
        else:
            more = len(chunk) == 4
        if not more:
            return items
        page += 1
    raise AssertionError("paging never ended")


@pytest.mark.parametrize("meta", METAS)
@pytest.mark.parametrize("envelope", ENVELOPES)
async def test_list_shapes(session: aiohttp.ClientSession, envelope: str, meta: str) -> None:
    async with Sandbox(records=14, list_shape=(envelope, meta)) as sb:
        rev23 = await pull_all(
            session, f"{sb.url}/api/v2/customers", rev23_headers(sb), "pageSize", envelope
        )
        assert [c["id"] for c in rev23] == list(range(1, 15))
        token = await exchange(session, sb)
        contacts = await pull_all(
            session,
            f"{sb.url}/billing/api/v1/contacts",
            revio_headers(sb, token),
            "perPage",
            envelope,
        )
        assert [c["contactId"] for c in contacts] == list(range(1, 15))
        _, body, _ = await get(session, f"{sb.url}/api/v2/customers", rev23_headers(sb), pageSize=4)
        if envelope != "bare":
            _, first_meta = extract(body, envelope)
            expected = {"flag": {"hasMore"}, "total": {"totalCount"}, "cursor": {"nextCursor"}}
            assert set(first_meta) == expected.get(meta, set())


async def test_page_size_defaults_and_clamp(session: aiohttp.ClientSession) -> None:
    async with Sandbox(records=40, page_size=7, max_page_size=10) as sb:
        url = f"{sb.url}/api/v2/customers"
        _, body, _ = await get(session, url, rev23_headers(sb))
        assert len(body["data"]) == 7
        _, body, _ = await get(session, url, rev23_headers(sb), pageSize=25, page=2)
        assert body["pageSize"] == 10 and [c["id"] for c in body["data"]] == list(range(11, 21))
        _, body, _ = await get(session, url, rev23_headers(sb), pageSize=10, page=5)
        assert body["data"] == [] and body["hasMore"] is False


async def test_per_api_shapes_and_record_counts(session: aiohttp.ClientSession) -> None:
    async with Sandbox(
        records={"rev23_customers": 3, "contacts": 2}, rev23_list_shape=("items", "total")
    ) as sb:
        _, body, _ = await get(session, f"{sb.url}/api/v2/customers", rev23_headers(sb))
        assert body == {"items": body["items"], "totalCount": 3}
        token = await exchange(session, sb)
        _, body, _ = await get(
            session, f"{sb.url}/billing/api/v1/contacts", revio_headers(sb, token)
        )
        assert list(body) == ["data"] and len(body["data"]) == 2


# ------------------------------------------------------------------------------- Rev.io resources


async def test_revio_resources_and_writes(session: aiohttp.ClientSession) -> None:
    async with Sandbox(records=20) as sb:
        h = revio_headers(sb, await exchange(session, sb))
        b = f"{sb.url}/billing/api/v1"
        _, cust, _ = await get(session, f"{b}/customers/3", h)
        assert cust["data"]["customerId"] == 3 and "." in cust["data"]["balance"]
        _, inv, _ = await get(session, f"{b}/customers/3/invoices", h)
        assert inv["data"] and all(i["customerId"] == 3 for i in inv["data"])
        assert (await get(session, f"{b}/customers/999", h))[0] == 404
        assert (await get(session, f"{b}/contacts/999", h))[1]["status"] == 404

        # Opportunities: create, read, replace, delete. Bodies are snake_case by default (the
        # casing public callers send); records read back camelCase.
        new = {"customer_id": 2, "name": "Big deal", "amount": "10.00", "stage_id": 3}
        async with session.post(f"{b}/opportunities", json=new, headers=h) as r:
            assert r.status == 201
            opp_id = (await r.json())["data"]["opportunityId"]
        assert opp_id == 21
        _, got, _ = await get(session, f"{b}/opportunities/{opp_id}", h)
        assert got["data"] == {
            "customerId": 2,
            "name": "Big deal",
            "amount": "10.00",
            "stageId": 3,
            "opportunityId": opp_id,
        }
        async with session.put(
            f"{b}/opportunities/{opp_id}", json={"customer_id": 2, "name": "Renamed"}, headers=h
        ) as r:
            assert r.status == 200
            assert (await r.json())["data"] == {
                "customerId": 2,
                "name": "Renamed",
                "opportunityId": 21,
            }
        async with session.post(f"{b}/opportunities", json={"name": 1}, headers=h) as r:
            problem = await r.json()
            assert r.status == 400 and set(problem["errors"]) == {"customer_id", "name"}
        camel = {"customerId": 2, "name": "camelCase is not what this server binds"}
        async with session.post(f"{b}/opportunities", json=camel, headers=h) as r:
            assert r.status == 400 and set((await r.json())["errors"]) == {"customer_id"}
        async with session.delete(f"{b}/opportunities/{opp_id}", headers=h) as r:
            assert r.status == 204 and await r.read() == b""
        assert (await get(session, f"{b}/opportunities/{opp_id}", h))[0] == 404
        owner = (await get(session, f"{b}/opportunities/1", h))[1]["data"]["ownerId"]
        assert len(owner) == 26

        # Tickets.
        t = f"{sb.url}/psac/api/v1"
        bad = {"ticketTypeId": 1, "customerId": "4", "techsAssociated": {}}
        async with session.post(f"{t}/ticket", json=bad, headers=h) as r:
            body = await r.json()
            assert r.status == 400
            assert set(body["errors"]) == {"customerId", "ticketDescription", "techsAssociated"}
        ticket = {"customerId": 4, "ticketDescription": "Server down", "ticketPriorityId": 4}
        async with session.post(f"{t}/ticket", json=ticket, headers=h) as r:
            assert r.status == 201
            ticket_id = (await r.json())["data"]["ticketId"]
        _, rows, _ = await get(session, f"{t}/ticket-list", h, page=1, perPage=100)
        row = rows["data"][-1]
        assert row["ticketId"] == ticket_id and row["ticketPriority"] == "Critical"
        assert row["closedDate"] is None and row["customerName"]
        assert (row["ticketState"], row["ticketStatusId"], row["techAssigned"]) == ("Open", 1, "")
        _, one, _ = await get(session, f"{t}/ticket/{ticket_id}", h)
        assert one["data"] == row
        assert (await get(session, f"{t}/ticket/999", h))[0] == 404
        _, closed, _ = await get(session, f"{t}/ticket-list", h, status="closed", perPage=100)
        assert closed["data"] and {r["ticketStatus"] for r in closed["data"]} == {"Closed"}

        # Projects.
        p = f"{sb.url}/project-management/api/v1/projects"
        _, opts, _ = await get(session, f"{p}/options", h)
        assert set(opts["data"]) == {"projectStatuses", "projectPriorities", "memberRoles"}
        assert opts["data"]["projectStatuses"][0] == {
            "projectStatusId": 1,
            "projectStatusName": "Planned",
        }
        new_project = {"projectName": "New rollout", "customerId": 1, "projectStatusId": 1}
        async with session.post(p, json=new_project, headers=h) as r:
            assert r.status == 201
            project_id = (await r.json())["data"]["projectId"]
        renamed = {"projectName": "Renamed", "isAtRisk": True}
        async with session.put(f"{p}/{project_id}", json=renamed, headers=h) as r:
            assert r.status == 200 and (await r.json())["data"]["projectName"] == "Renamed"
        _, proj, _ = await get(session, f"{p}/{project_id}", h)
        assert proj["data"] == {**renamed, "projectId": project_id}
        for bad_project in ({"name": "the old field"}, {"projectName": "x", "teamMembers": {}}):
            async with session.post(p, json=bad_project, headers=h) as r:
                assert r.status == 400
        _, of_one, _ = await get(session, p, h, customerId=1, perPage=100)
        assert of_one["data"] and {x["customerId"] for x in of_one["data"]} == {1}

        activity: list[Any] = []
        cursor = None
        for _ in range(50):
            params = {"perPage": 3, **({"nextCursor": cursor} if cursor else {})}
            _, page, _ = await get(session, f"{p}/2/activity", h, **params)
            activity.extend(page["data"])
            cursor = page["nextCursor"]
            if cursor is None:
                break
        ids = [a["activityId"] for a in activity]
        assert len(ids) == 5 + 14 and ids == sorted(set(ids))
        assert (await get(session, f"{p}/2/activity", h, nextCursor="bogus"))[0] == 400


async def test_phases_milestones_and_activity_filters(session: aiohttp.ClientSession) -> None:
    async with Sandbox(records=5) as sb:
        h = revio_headers(sb, await exchange(session, sb))
        pm = f"{sb.url}/project-management/api/v1"

        async def send(method: str, url: str, body: Any) -> tuple[int, Any]:
            async with session.request(method, url, json=body, headers=h) as r:
                return r.status, await r.json()

        assert (await send("POST", f"{pm}/projects/9/phases", {"phaseName": "x"}))[0] == 404
        assert (await send("POST", f"{pm}/projects/2/phases", {"phaseSequence": 1}))[0] == 400
        phase = {"phaseName": "Build", "phaseSequence": 2, "startDate": "2025-03-01T00:00:00Z"}
        status, created = await send("POST", f"{pm}/projects/2/phases", phase)
        assert (status, created["data"]) == (201, {"phaseId": 1})
        status, put = await send("PUT", f"{pm}/phases/1", {**phase, "isAtRisk": True})
        assert status == 200
        assert put["data"] == {**phase, "isAtRisk": True, "projectId": 2, "phaseId": 1}
        assert (await send("PUT", f"{pm}/phases/7", phase))[0] == 404
        milestone = {"milestoneName": "Go Live", "phaseId": 1, "ownerId": "01J"}
        status, made = await send("POST", f"{pm}/projects/2/milestones", milestone)
        assert (status, made["data"]) == (201, {"milestoneId": 1})
        elsewhere = await send("POST", f"{pm}/projects/3/milestones", milestone)
        assert elsewhere[0] == 400 and set(elsewhere[1]["errors"]) == {"phaseId"}
        status, moved = await send("PUT", f"{pm}/milestones/1", {"milestoneName": "Live"})
        assert status == 200
        assert moved["data"] == {"milestoneName": "Live", "projectId": 2, "milestoneId": 1}

        url = f"{pm}/projects/2/activity"
        _, every, _ = await get(session, url, h, perPage=100)
        rows = every["data"]
        assert rows[-1]["eventType"] == "phase_created"
        async with session.get(
            url, headers=h, params=[("eventType", "note"), ("eventType", "file"), ("perPage", 100)]
        ) as r:
            kinds = (await r.json())["data"]
        assert kinds == [a for a in rows if a["eventType"] in ("note", "file")] and kinds
        who = rows[0]["performedBy"]
        _, mine, _ = await get(session, url, h, performedBy=who, perPage=100)
        assert mine["data"] == [a for a in rows if a["performedBy"] == who]
        middle = rows[len(rows) // 2]["createdDate"]
        _, later, _ = await get(session, url, h, **{"from": middle + "Z", "perPage": 100})
        _, earlier, _ = await get(session, url, h, to=middle, perPage=100)
        assert later["data"][0] == earlier["data"][-1] == rows[len(rows) // 2]
        assert (await get(session, url, h, to="yesterday"))[0] == 400


async def test_list_pages_are_capped_at_500_where_public_callers_cap_them(
    session: aiohttp.ClientSession,
) -> None:
    async with Sandbox(records={"tickets": 501, "contacts": 501}) as sb:
        h = revio_headers(sb, await exchange(session, sb))
        _, tickets, _ = await get(session, f"{sb.url}/psac/api/v1/ticket-list", h, perPage=600)
        _, contacts, _ = await get(session, f"{sb.url}/billing/api/v1/contacts", h, perPage=600)
        assert (len(tickets["data"]), len(contacts["data"])) == (500, 501)


def test_opportunity_casing_is_checked() -> None:
    with pytest.raises(ValueError, match="opportunity_casing"):
        Sandbox(opportunity_casing="kebab")


# ------------------------------------------------------------------------------- rate limit


async def test_rate_limit_fractional_and_window(session: aiohttp.ClientSession) -> None:
    async with Sandbox(rate_limit=(5, 0.3), retry_after="fractional") as sb:
        url = f"{sb.url}/api/v2/customers/1"
        statuses = [(await get(session, url, rev23_headers(sb)))[0] for _ in range(5)]
        assert statuses == [200] * 5
        status, body, r = await get(session, url, rev23_headers(sb))
        assert status == 429
        assert body == {"message": "Rate limit exceeded. Wait briefly before retrying."}
        wait = float(r.headers["Retry-After"])
        assert 0 < wait <= 0.3
        await asyncio.sleep(wait + 0.01)
        assert (await get(session, url, rev23_headers(sb)))[0] == 200
        # 401s are neither counted nor attributed.
        assert (await get(session, url, {}))[0] == 401
        stats = sb.stats.keys["rev23"]
        assert len(stats.arrivals) == 6 and stats.rate_limited == 1 and stats.requests == 7
        assert sb.max_in_window("rev23") == 5
        assert sb.max_in_window("rev23", 10.0) == 6

        # Another key has its own window; the exchange counts against its Rev.io key.
        extra = sb.add_key("rev23")
        h = {"X-Api-Key": extra, "X-Tenant-Name": sb.rev23_tenant}
        assert (await get(session, url, h))[0] == 200
        assert sb.key_label(extra) == extra[:12]
        assert len(sb.stats.keys[extra[:12]].arrivals) == 1

        revio_key = sb.add_key("revio")
        token = await exchange(session, sb, revio_key)
        contacts = f"{sb.url}/billing/api/v1/contacts/1"
        codes = [(await get(session, contacts, revio_headers(sb, token)))[0] for _ in range(5)]
        assert codes == [200, 200, 200, 200, 429]
        status, body, r = await get(session, contacts, revio_headers(sb, token))
        assert status == 429 and body["status"] == 429 and "Retry-After" in r.headers
        label = sb.key_label(revio_key)
        assert sb.stats.keys[label].rate_limited == 2 and sb.stats.keys["revio"].requests == 0

        sb.reset_stats()
        assert sb.stats.total_requests == 0 and sb.stats.keys["rev23"].arrivals == []


@pytest.mark.parametrize("mode", ["seconds", "date", "none"])
async def test_retry_after_formats(session: aiohttp.ClientSession, mode: str) -> None:
    async with Sandbox(rate_limit=(1, 5.0), retry_after=mode) as sb:
        url = f"{sb.url}/api/v2/customers/1"
        assert (await get(session, url, rev23_headers(sb)))[0] == 200
        status, _, r = await get(session, url, rev23_headers(sb))
        assert status == 429
        value = r.headers.get("Retry-After")
        if mode == "seconds":
            assert value == "5"
        elif mode == "date":
            assert value is not None
            delta = parsedate_to_datetime(value).timestamp() - time.time()
            assert 3 <= delta <= 6.1
        else:
            assert value is None


async def test_retry_after_is_whole_seconds_by_default(session: aiohttp.ClientSession) -> None:
    # HTTP's Retry-After is delay-seconds (an integer), even when the window is shorter.
    async with Sandbox(rate_limit=(1, 0.3)) as sb:
        url = f"{sb.url}/api/v2/customers/1"
        assert (await get(session, url, rev23_headers(sb)))[0] == 200
        status, _, r = await get(session, url, rev23_headers(sb))
        assert (status, r.headers["Retry-After"]) == (429, "1")


async def test_no_rate_limit_and_latency(session: aiohttp.ClientSession) -> None:
    async with Sandbox(rate_limit=None, latency=0.05) as sb:
        url = f"{sb.url}/api/v2/customers/1"
        start = time.monotonic()
        codes = await asyncio.gather(*(get(session, url, rev23_headers(sb)) for _ in range(20)))
        assert {c[0] for c in codes} == {200}
        assert 0.05 <= time.monotonic() - start < 1.0
        assert len(sb.stats.keys["rev23"].arrivals) == 20


# ------------------------------------------------------------------------------- faults


async def test_status_faults_fifo_and_filters(session: aiohttp.ClientSession) -> None:
    async with Sandbox() as sb:
        url = f"{sb.url}/api/v2/customers/1"
        sb.inject(503, path="/api/v2/customers", times=2)
        sb.inject(429, headers={"Retry-After": "0.05"}, body={"message": "slow down"})
        sb.inject(500, method="POST")
        sb.inject(418, body=b"teapot", path="/elsewhere")
        assert (await get(session, url, rev23_headers(sb)))[0] == 503
        assert (await get(session, url, rev23_headers(sb)))[0] == 503
        status, body, r = await get(session, url, rev23_headers(sb))
        assert (status, body, r.headers["Retry-After"]) == (429, {"message": "slow down"}, "0.05")
        assert (await get(session, url, rev23_headers(sb)))[0] == 200
        log = sb.stats.log
        assert [e.fault for e in log] == ["503", "503", "429", None]
        assert log[0].key == "rev23" and sb.stats.keys["rev23"].arrivals == [log[3].arrival]
        # A fault on the exchange path.
        sb.clear_faults()
        sb.inject(503, path="/api/v1/auth")
        async with session.post(
            f"{sb.url}/api/v1/auth/api-key/exchange", json={"apiKey": sb.revio_api_key}
        ) as r:
            assert r.status == 503
        await exchange(session, sb)


@pytest.mark.parametrize("fault", FAULTS)
async def test_named_faults(session: aiohttp.ClientSession, fault: str) -> None:
    async with Sandbox() as sb:
        url = f"{sb.url}/api/v2/customers?pageSize=3"
        kwargs: dict[str, Any] = {"delay": 0.3} if fault == "timeout" else {}
        sb.inject(fault, **kwargs)
        if fault == "drop_before":
            # POST: aiohttp does not silently retry it, so the drop is visible.
            with pytest.raises(aiohttp.ServerDisconnectedError):
                async with session.post(url, headers=rev23_headers(sb)) as r:
                    await r.read()
        elif fault == "drop_after":
            with pytest.raises(aiohttp.ClientPayloadError):
                async with session.get(url, headers=rev23_headers(sb)) as r:
                    assert r.status == 200
                    await r.read()
        elif fault == "timeout":
            with pytest.raises(asyncio.TimeoutError):
                timeout = aiohttp.ClientTimeout(total=0.1)
                async with session.get(url, headers=rev23_headers(sb), timeout=timeout) as r:
                    await r.read()
        else:
            async with session.get(url, headers=rev23_headers(sb)) as r:
                raw = await r.read()
                if fault == "malformed":
                    assert r.status == 200 and r.content_type == "application/json"
                    with pytest.raises(ValueError):
                        json.loads(raw)
                elif fault == "html":
                    assert r.status == 502 and r.content_type == "text/html"
                elif fault == "empty":
                    assert r.status == 200 and raw == b""
                else:  # wrong_content_type
                    assert r.status == 200 and r.content_type == "text/plain"
                    assert len(json.loads(raw)["data"]) == 3
        await asyncio.sleep(0.3 if fault == "timeout" else 0)
        status, _, _ = await get(session, url, rev23_headers(sb))
        assert status == 200  # the fault fired once and is gone
        assert sb.stats.log[0].fault == fault


# ------------------------------------------------------------------------------- threads, plugin


def _sync_get(url: str, headers: dict[str, str]) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_run_in_thread_sync() -> None:
    sb = Sandbox(rate_limit=(2, 5.0))
    with sb.run_in_thread() as running:
        assert running is sb
        url = f"{sb.url}/api/v2/customers/2"
        assert _sync_get(url, rev23_headers(sb))[0] == 200
        sb.inject(503)
        assert _sync_get(url, rev23_headers(sb))[0] == 503
        assert _sync_get(url, rev23_headers(sb))[0] == 200
        assert _sync_get(url, rev23_headers(sb))[0] == 429
        base = sb.url
    with pytest.raises(urllib.error.URLError):
        _sync_get(base + "/api/v2/customers/2", rev23_headers(sb))
    with pytest.raises(RuntimeError):
        _ = sb.url


@pytest.mark.revclient_sandbox(records=5, rev23_tenant="plugin-studio")
def test_pytest_fixture_sync(revclient_sandbox: Sandbox) -> None:  # noqa: F811
    sb = revclient_sandbox
    assert sb.rev23_tenant == "plugin-studio"
    status, body = _sync_get(f"{sb.url}/api/v2/customers", rev23_headers(sb))
    assert status == 200 and body["totalCount"] == 5


async def test_pytest_fixture_async(
    revclient_sandbox: Sandbox,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    token = await exchange(session, revclient_sandbox)
    status, _, _ = await get(
        session,
        f"{revclient_sandbox.url}/billing/api/v1/customers",
        revio_headers(revclient_sandbox, token),
    )
    assert status == 200


async def test_serve_forever_is_cancellable(session: aiohttp.ClientSession) -> None:
    sb = Sandbox()
    task = asyncio.create_task(sb.serve_forever())
    for _ in range(100):
        await asyncio.sleep(0.01)
        if sb._url is not None:
            break
    assert (await get(session, f"{sb.url}/api/v2/customers/1", rev23_headers(sb)))[0] == 200
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    with pytest.raises(RuntimeError):
        _ = sb.url
