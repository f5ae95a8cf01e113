#include "store/migrations.hpp"

#include <fmt/format.h>

namespace b3s::core::store {
namespace {

// The command queue (b3scale's `commands`): created by version 1, re-created by version 5.
std::vector<std::string> commandsTable(const SqlDialect& d) {
    const auto big = d.bigintType();
    const auto suffix = d.tableSuffix();
    std::vector<std::string> s;
    s.push_back(
        fmt::format("CREATE TABLE commands ("
                    " {keys},"
                    " state TEXT NOT NULL DEFAULT 'requested'"
                    "  CONSTRAINT commands_state_check"
                    "  CHECK (state IN ('requested', 'running', 'success', 'error')),"
                    " action TEXT NOT NULL CHECK (action <> ''),"
                    " {params},"
                    " {result},"
                    " deadline_us {big} NOT NULL,"
                    " started_at_us {big} NULL,"
                    " stopped_at_us {big} NULL,"
                    " created_at_us {big} NOT NULL"
                    "){suffix}",
                    fmt::arg("keys", d.commandsKeyColumns()), fmt::arg("big", big),
                    fmt::arg("params", d.jsonColumn("params", "", true, "")),
                    fmt::arg("result", d.jsonColumn("result", "", true, "")), fmt::arg("suffix", suffix)));
    s.push_back("CREATE INDEX commands_state_seq_idx ON commands (state, seq)");
    return s;
}

// Version 1: b3scale's tables (0001_initial_tables + 0002_node_agent_api) with its weak
// points fixed:
//  - every timestamp is BIGINT epoch microseconds UTC set by b3scaled's clock, never a
//    `timestamp` column filled by the session's time zone (gateway spec §11.22);
//  - meeting ids are unbounded text, not varchar(255) (§11.19);
//  - meetings.frontend_id is NOT NULL so every lookup can be scoped to its tenant;
//  - backends/frontends carry a version for optimistic concurrency (§11.9 lost updates);
//  - CHECK constraints instead of enums (same text in both connectors), load_factor
//    finite and >= 0 (the upper bound also rejects NaN, which PostgreSQL sorts above
//    every number);
//  - backend tags get their own JSON array column instead of settings.tags.
// Index and constraint names are spelled out so errors name them the same everywhere.
Migration initialTables(const SqlDialect& d) {
    const auto uuid = d.uuidType();
    const auto big = d.bigintType();
    const auto suffix = d.tableSuffix();
    Migration m{1, "initial tables", {}};
    auto& s = m.statements;

    s.push_back(
        fmt::format("CREATE TABLE backends ("
                    " id {uuid} NOT NULL PRIMARY KEY,"
                    " host TEXT NOT NULL CONSTRAINT backends_host_key UNIQUE CHECK (host <> ''),"
                    " secret TEXT NOT NULL,"
                    " admin_state TEXT NOT NULL DEFAULT 'init'"
                    "  CONSTRAINT backends_admin_state_check"
                    "  CHECK (admin_state IN ('init', 'ready', 'stopped', 'decommissioned')),"
                    " node_state TEXT NOT NULL DEFAULT 'init',"
                    " load_factor {dbl} NOT NULL DEFAULT 1.0"
                    "  CONSTRAINT backends_load_factor_check"
                    "  CHECK (load_factor >= 0 AND load_factor <= 1.7976931348623157e308),"
                    " {tags},"
                    " agent_ref TEXT NULL CONSTRAINT backends_agent_ref_key UNIQUE,"
                    " agent_heartbeat_us {big} NULL,"
                    " latency_us {big} NOT NULL DEFAULT 0,"
                    " last_error TEXT NULL,"
                    " meetings_count INTEGER NOT NULL DEFAULT 0,"
                    " attendees_count INTEGER NOT NULL DEFAULT 0,"
                    " created_at_us {big} NOT NULL,"
                    " updated_at_us {big} NOT NULL,"
                    " synced_at_us {big} NOT NULL,"
                    " version {big} NOT NULL DEFAULT 1"
                    "){suffix}",
                    fmt::arg("uuid", uuid), fmt::arg("dbl", d.doubleType()), fmt::arg("big", big),
                    fmt::arg("tags", d.jsonColumn("tags", "array", false, "[]")), fmt::arg("suffix", suffix)));

    s.push_back(
        fmt::format("CREATE TABLE frontends ("
                    " id {uuid} NOT NULL PRIMARY KEY,"
                    " key TEXT NOT NULL CONSTRAINT frontends_key_key UNIQUE CHECK (key <> ''),"
                    " secret TEXT NOT NULL,"
                    " account_ref TEXT NULL,"
                    " {settings},"
                    " active {boolean} NOT NULL DEFAULT {true_value},"
                    " created_at_us {big} NOT NULL,"
                    " updated_at_us {big} NOT NULL,"
                    " version {big} NOT NULL DEFAULT 1"
                    "){suffix}",
                    fmt::arg("uuid", uuid), fmt::arg("big", big), fmt::arg("boolean", d.boolType()),
                    fmt::arg("true_value", d.kind() == ConnectorKind::Sqlite ? "1" : "true"),
                    fmt::arg("settings", d.jsonColumn("settings", "object", false, "{}")), fmt::arg("suffix", suffix)));
    s.push_back("CREATE INDEX frontends_account_ref_idx ON frontends (account_ref)");

    s.push_back(
        fmt::format("CREATE TABLE meetings ("
                    " id TEXT NOT NULL PRIMARY KEY CHECK (id <> ''),"
                    " internal_id TEXT NULL CONSTRAINT meetings_internal_id_key UNIQUE,"
                    " frontend_id {uuid} NOT NULL REFERENCES frontends (id) ON DELETE CASCADE,"
                    " backend_id {uuid} NULL REFERENCES backends (id) ON DELETE SET NULL,"
                    " {state},"
                    " created_at_us {big} NOT NULL,"
                    " updated_at_us {big} NOT NULL,"
                    " synced_at_us {big} NOT NULL"
                    "){suffix}",
                    fmt::arg("uuid", uuid), fmt::arg("big", big),
                    fmt::arg("state", d.jsonColumn("state", "object", false, "{}")), fmt::arg("suffix", suffix)));
    s.push_back("CREATE INDEX meetings_frontend_id_idx ON meetings (frontend_id)");
    s.push_back("CREATE INDEX meetings_backend_id_idx ON meetings (backend_id)");

    // Remembers which frontend owned a meeting id after the meeting is gone, to attribute
    // recordings imported later.
    s.push_back(
        fmt::format("CREATE TABLE frontend_meetings ("
                    " meeting_id TEXT NOT NULL PRIMARY KEY,"
                    " frontend_id {uuid} NOT NULL REFERENCES frontends (id) ON DELETE CASCADE,"
                    " seen_at_us {big} NOT NULL"
                    "){suffix}",
                    fmt::arg("uuid", uuid), fmt::arg("big", big), fmt::arg("suffix", suffix)));
    s.push_back("CREATE INDEX frontend_meetings_frontend_id_idx ON frontend_meetings (frontend_id)");

    s.push_back(fmt::format(
        "CREATE TABLE recordings ("
        " record_id TEXT NOT NULL PRIMARY KEY,"
        " frontend_id {uuid} NOT NULL REFERENCES frontends (id) ON DELETE CASCADE,"
        " meeting_id TEXT NOT NULL,"
        " internal_meeting_id TEXT NOT NULL,"
        " {state},"
        " {tracks},"
        " created_at_us {big} NOT NULL,"
        " updated_at_us {big} NOT NULL,"
        " synced_at_us {big} NOT NULL"
        "){suffix}",
        fmt::arg("uuid", uuid), fmt::arg("big", big), fmt::arg("state", d.jsonColumn("state", "object", false, "")),
        fmt::arg("tracks", d.jsonColumn("text_track_states", "array", false, "[]")), fmt::arg("suffix", suffix)));
    s.push_back("CREATE INDEX recordings_frontend_id_idx ON recordings (frontend_id)");
    s.push_back("CREATE INDEX recordings_meeting_id_idx ON recordings (meeting_id)");
    s.push_back("CREATE INDEX recordings_internal_meeting_id_idx ON recordings (internal_meeting_id)");

    for (auto& statement : commandsTable(d)) s.push_back(std::move(statement));
    return m;
}

// Version 2: change notifications for the in-memory cluster view of every instance
// (core/src/cluster/cluster_state.hpp). Row triggers notify the channel b3s_changes with
// `<table> <op> <id>` (op: insert, update, delete); PostgreSQL delivers them at commit, in
// commit order, and drops them with a rollback. Meetings notify on UPDATE only when their
// placement (frontend_id, backend_id, internal_id, id) changed: state written by polling
// must not flood the channel. A payload must stay under 8000 bytes and a meeting id is
// unbounded text, so an id too long for it becomes `<table> resync`; TRUNCATE does too.
// SQLite: one process per database (see sqlite_instance_lock.hpp), nothing to notify; the
// version is recorded all the same so both connectors count versions alike.
Migration changeNotifications(const SqlDialect& d) {
    Migration m{2, "change notifications", {}};
    if (d.kind() != ConnectorKind::Postgres) return m;
    auto& s = m.statements;
    // No `$<digit>` anywhere: Poco counts those as parameters even inside a function body.
    s.push_back(
        "CREATE FUNCTION b3s_notify_row(p_table text, p_op text, p_id text) RETURNS void"
        " LANGUAGE plpgsql AS $body$"
        " BEGIN"
        "  IF p_id IS NULL OR octet_length(p_id) > 7000 THEN"
        "   PERFORM pg_notify('b3s_changes', p_table || ' resync');"
        "  ELSE"
        "   PERFORM pg_notify('b3s_changes', p_table || ' ' || p_op || ' ' || p_id);"
        "  END IF;"
        " END"
        " $body$");
    s.push_back(
        "CREATE FUNCTION b3s_notify_change() RETURNS trigger LANGUAGE plpgsql AS $body$"
        " BEGIN"
        "  IF TG_OP = 'TRUNCATE' THEN"
        "   PERFORM pg_notify('b3s_changes', TG_TABLE_NAME || ' resync');"
        "  ELSIF TG_OP = 'INSERT' THEN"
        "   PERFORM b3s_notify_row(TG_TABLE_NAME, 'insert', NEW.id::text);"
        "  ELSIF TG_OP = 'DELETE' THEN"
        "   PERFORM b3s_notify_row(TG_TABLE_NAME, 'delete', OLD.id::text);"
        "  ELSIF OLD.id IS DISTINCT FROM NEW.id THEN"
        "   PERFORM b3s_notify_row(TG_TABLE_NAME, 'delete', OLD.id::text);"
        "   PERFORM b3s_notify_row(TG_TABLE_NAME, 'insert', NEW.id::text);"
        "  ELSE"
        "   PERFORM b3s_notify_row(TG_TABLE_NAME, 'update', NEW.id::text);"
        "  END IF;"
        "  RETURN NULL;"
        " END"
        " $body$");
    for (const auto* table : {"frontends", "backends"}) {
        s.push_back(
            fmt::format("CREATE TRIGGER {0}_notify_change AFTER INSERT OR UPDATE OR DELETE ON {0}"
                        " FOR EACH ROW EXECUTE FUNCTION b3s_notify_change()",
                        table));
    }
    s.push_back(
        "CREATE TRIGGER meetings_notify_change AFTER INSERT OR DELETE ON meetings"
        " FOR EACH ROW EXECUTE FUNCTION b3s_notify_change()");
    s.push_back(
        "CREATE TRIGGER meetings_notify_placement AFTER UPDATE ON meetings FOR EACH ROW"
        " WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.frontend_id IS DISTINCT FROM NEW.frontend_id"
        " OR OLD.backend_id IS DISTINCT FROM NEW.backend_id OR OLD.internal_id IS DISTINCT FROM NEW.internal_id)"
        " EXECUTE FUNCTION b3s_notify_change()");
    for (const auto* table : {"frontends", "backends", "meetings"}) {
        s.push_back(
            fmt::format("CREATE TRIGGER {0}_notify_truncate AFTER TRUNCATE ON {0}"
                        " FOR EACH STATEMENT EXECUTE FUNCTION b3s_notify_change()",
                        table));
    }
    return m;
}

// Version 3: what the gateway keeps per meeting beyond its placement — the create's
// parameters (to re-create the meeting elsewhere when its backend is lost), the size hint
// its frontend announced (the balancer reserves that many seats for a fresh placement), and a
// version bumped by every update, so the in-memory views of all instances order the changes
// of one meeting without trusting any instance's clock.
Migration meetingCreateParams(const SqlDialect& d) {
    Migration m{3, "meeting create params", {}};
    m.statements.push_back(
        fmt::format("ALTER TABLE meetings ADD COLUMN {}", d.jsonColumn("create_params", "object", false, "{}")));
    m.statements.push_back("ALTER TABLE meetings ADD COLUMN size_hint INTEGER NOT NULL DEFAULT 0");
    m.statements.push_back(
        fmt::format("ALTER TABLE meetings ADD COLUMN version {} NOT NULL DEFAULT 1", d.bigintType()));
    return m;
}

// Version 4: the cluster controller.
//  - backend_polls: one row per backend with when its next poll is due and who holds the
//    lease on the current one (instances claim due rows with FOR UPDATE SKIP LOCKED, so each
//    backend is polled once per interval cluster-wide), and the streaks of failed and
//    successful polls the health hysteresis counts. A table of its own: claims happen every
//    interval and must not notify the change feed.
//  - backends.poll_seq: bumped by every poll result, which leaves `version` (the admin's
//    optimistic-concurrency counter) alone.
//  - meetings.lost_at_us: the meeting's backend went offline; the next create or join
//    re-creates it elsewhere. A change of it is a placement change for the feed.
Migration controller(const SqlDialect& d) {
    Migration m{4, "cluster controller", {}};
    auto& s = m.statements;
    const auto big = d.bigintType();
    s.push_back(
        fmt::format("CREATE TABLE backend_polls ("
                    " backend_id {uuid} NOT NULL PRIMARY KEY REFERENCES backends (id) ON DELETE CASCADE,"
                    " due_us {big} NOT NULL DEFAULT 0,"
                    " lease_id TEXT NULL,"
                    " lease_until_us {big} NOT NULL DEFAULT 0,"
                    " failures INTEGER NOT NULL DEFAULT 0,"
                    " successes INTEGER NOT NULL DEFAULT 0,"
                    " polls {big} NOT NULL DEFAULT 0"
                    "){suffix}",
                    fmt::arg("uuid", d.uuidType()), fmt::arg("big", big), fmt::arg("suffix", d.tableSuffix())));
    s.push_back("CREATE INDEX backend_polls_due_idx ON backend_polls (due_us)");
    s.push_back(fmt::format("ALTER TABLE backends ADD COLUMN poll_seq {} NOT NULL DEFAULT 0", big));
    s.push_back(fmt::format("ALTER TABLE meetings ADD COLUMN lost_at_us {} NULL", big));
    if (d.kind() == ConnectorKind::Postgres) {
        s.push_back("DROP TRIGGER meetings_notify_placement ON meetings");
        s.push_back(
            "CREATE TRIGGER meetings_notify_placement AFTER UPDATE ON meetings FOR EACH ROW"
            " WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.frontend_id IS DISTINCT FROM NEW.frontend_id"
            " OR OLD.backend_id IS DISTINCT FROM NEW.backend_id OR OLD.internal_id IS DISTINCT FROM NEW.internal_id"
            " OR OLD.lost_at_us IS DISTINCT FROM NEW.lost_at_us)"
            " EXECUTE FUNCTION b3s_notify_change()");
    }
    return m;
}

// Version 5: the command queue put to use. Version 1 created `commands` with a check that
// SQLite fails for NULL results (json_valid(NULL) is 0), so no command could ever be queued
// there; nothing could have been queued before this version, so the table is re-created.
Migration commandQueue(const SqlDialect& d) {
    Migration m{5, "command queue", {}};
    m.statements.push_back("DROP TABLE commands");
    for (auto& statement : commandsTable(d)) m.statements.push_back(std::move(statement));
    return m;
}

// Version 6: the recordings index (the files belong to the recordings plugin). Version 1's
// `recordings` (b3scale's shape) was never written, so it is replaced rather than altered.
//  - record_id and metadata names compare byte by byte in both connectors (binaryCollation):
//    pages order by record_id after start_time, and a btree serves a record id prefix;
//  - a frontend that still has recordings cannot be deleted (RESTRICT; deleteFrontend says
//    so first, as a Conflict), so no row of the index disappears while its files stay;
//  - the metadata in a table of its own, so a filter on it is a bound EXISTS, never SQL
//    text made from a name or value; a recording's metadata goes with it (CASCADE);
//  - recordings_page_idx serves getRecordings' page of one frontend (newest first) without a
//    sort, recordings_meeting_id_idx its meetingID filter, and recording_metadata_lookup_idx
//    a metadata filter that is more selective than the frontend. A btree entry must fit in a
//    third of a page (PostgreSQL: 2704 bytes), and a metadata value is unbounded text, so the
//    lookup index holds the first 200 characters of the value; the query compares that
//    expression and then the whole value.
Migration recordingsIndex(const SqlDialect& d) {
    Migration m{6, "recordings index", {}};
    auto& s = m.statements;
    const auto binary = d.binaryCollation();
    s.push_back("DROP TABLE recordings");
    s.push_back(
        fmt::format("CREATE TABLE recordings ("
                    " record_id TEXT{binary} NOT NULL PRIMARY KEY CHECK (record_id <> ''),"
                    " frontend_id {uuid} NOT NULL CONSTRAINT recordings_frontend_id_fkey"
                    "  REFERENCES frontends (id) ON DELETE RESTRICT,"
                    " meeting_id TEXT NOT NULL,"
                    " internal_meeting_id TEXT NOT NULL,"
                    " name TEXT NOT NULL,"
                    " state TEXT NOT NULL,"
                    " published {boolean} NOT NULL,"
                    " is_breakout {boolean} NOT NULL,"
                    " start_time {big} NOT NULL,"
                    " end_time {big} NOT NULL,"
                    " participants INTEGER NOT NULL,"
                    " {formats},"
                    " created_at_us {big} NOT NULL,"
                    " updated_at_us {big} NOT NULL,"
                    " version {big} NOT NULL DEFAULT 1"
                    "){suffix}",
                    fmt::arg("binary", binary), fmt::arg("uuid", d.uuidType()), fmt::arg("boolean", d.boolType()),
                    fmt::arg("big", d.bigintType()), fmt::arg("formats", d.jsonColumn("formats", "array", false, "[]")),
                    fmt::arg("suffix", d.tableSuffix())));
    s.push_back("CREATE INDEX recordings_page_idx ON recordings (frontend_id, start_time DESC, record_id)");
    s.push_back("CREATE INDEX recordings_meeting_id_idx ON recordings (meeting_id)");
    s.push_back(
        fmt::format("CREATE TABLE recording_metadata ("
                    " record_id TEXT{binary} NOT NULL CONSTRAINT recording_metadata_record_id_fkey"
                    "  REFERENCES recordings (record_id) ON DELETE CASCADE,"
                    " name TEXT{binary} NOT NULL CHECK (name <> ''),"
                    " value TEXT NOT NULL,"
                    " CONSTRAINT recording_metadata_pkey PRIMARY KEY (record_id, name)"
                    "){suffix}",
                    fmt::arg("binary", binary), fmt::arg("suffix", d.tableSuffix())));
    s.push_back(
        "CREATE INDEX recording_metadata_lookup_idx ON recording_metadata (name, substr(value, 1, 200), record_id)");
    return m;
}

// Version 7: the callback outbox (callbacks/callback_outbox.hpp). Callbacks to frontends are
// rows, so they survive a restart and any instance may deliver them:
//  - claims like the backend polls': claimed_by + claim_expires_at_us, taken with FOR UPDATE
//    SKIP LOCKED; an expired claim (its instance died) is taken over;
//  - dedupe_key UNIQUE (NULLs never collide): a replayed callback is not queued twice;
//  - a frontend's callbacks go with it (CASCADE);
//  - callback_outbox_due_idx serves the claims (due pending rows, expired claims),
//    callback_outbox_frontend_idx the per-frontend counts, callback_outbox_state_idx the
//    listings and the pruning.
Migration callbackOutbox(const SqlDialect& d) {
    Migration m{7, "callback outbox", {}};
    auto& s = m.statements;
    s.push_back(fmt::format(
        "CREATE TABLE callback_outbox ("
        " id {uuid} NOT NULL PRIMARY KEY,"
        " frontend_id {uuid} NOT NULL CONSTRAINT callback_outbox_frontend_id_fkey"
        "  REFERENCES frontends (id) ON DELETE CASCADE,"
        " method TEXT NOT NULL CONSTRAINT callback_outbox_method_check CHECK (method IN ('GET', 'POST')),"
        " url TEXT NOT NULL CHECK (url <> ''),"
        " body TEXT NOT NULL DEFAULT '',"
        " content_type TEXT NOT NULL DEFAULT '',"
        " dedupe_key TEXT NULL CONSTRAINT callback_outbox_dedupe_key_key UNIQUE,"
        " state TEXT NOT NULL DEFAULT 'pending'"
        "  CONSTRAINT callback_outbox_state_check"
        "  CHECK (state IN ('pending', 'delivering', 'delivered', 'dead')),"
        " attempts INTEGER NOT NULL DEFAULT 0,"
        " next_attempt_at_us {big} NOT NULL,"
        " claimed_by TEXT NULL,"
        " claim_expires_at_us {big} NULL,"
        " last_error TEXT NULL,"
        " created_at_us {big} NOT NULL,"
        " updated_at_us {big} NOT NULL"
        "){suffix}",
        fmt::arg("uuid", d.uuidType()), fmt::arg("big", d.bigintType()), fmt::arg("suffix", d.tableSuffix())));
    s.push_back("CREATE INDEX callback_outbox_due_idx ON callback_outbox (state, next_attempt_at_us)");
    s.push_back("CREATE INDEX callback_outbox_frontend_idx ON callback_outbox (frontend_id, state)");
    s.push_back("CREATE INDEX callback_outbox_state_idx ON callback_outbox (state, updated_at_us)");
    return m;
}

// Version 8: who deactivated a frontend, so that a tenant can switch
// its own frontend off and on again but never re-activate one an operator disabled. Frontends
// inactive before this version were switched off by an operator (tenants could not tell them
// apart), so they stay the operator's to re-activate.
Migration frontendDeactivatedBy(const SqlDialect&) {
    Migration m{8, "frontend deactivated by", {}};
    m.statements.push_back(
        "ALTER TABLE frontends ADD COLUMN deactivated_by TEXT NULL CONSTRAINT frontends_deactivated_by_check"
        " CHECK (deactivated_by IN ('operator', 'tenant'))");
    m.statements.push_back("UPDATE frontends SET deactivated_by = 'operator' WHERE NOT active");
    return m;
}

// Version 9: when b3scale saw each meeting end, so a
// callback token of that incarnation (meeting id + its row's created_at) is honoured for a
// grace period after the end and never after. Written in the transaction that deletes the
// meeting row, pruned once the grace has passed; a frontend's go with it.
Migration meetingEnds(const SqlDialect& d) {
    Migration m{9, "meeting ends", {}};
    m.statements.push_back(fmt::format(
        "CREATE TABLE meeting_ends ("
        " meeting_id TEXT NOT NULL,"
        " frontend_id {uuid} NOT NULL CONSTRAINT meeting_ends_frontend_id_fkey"
        "  REFERENCES frontends (id) ON DELETE CASCADE,"
        " created_at_us {big} NOT NULL,"
        " ended_at_us {big} NOT NULL,"
        " CONSTRAINT meeting_ends_pkey PRIMARY KEY (meeting_id, created_at_us)"
        "){suffix}",
        fmt::arg("uuid", d.uuidType()), fmt::arg("big", d.bigintType()), fmt::arg("suffix", d.tableSuffix())));
    m.statements.push_back("CREATE INDEX meeting_ends_ended_at_idx ON meeting_ends (ended_at_us)");
    return m;
}

// Version 10: what a node agent reports with its heartbeat (store/agent_report_json.hpp): its
// own attendee count and the host's figures, as one JSON text (only b3scaled reads it, whole).
// NULL: no agent, or one that reports nothing (b3scale's).
Migration agentReport(const SqlDialect&) {
    Migration m{10, "agent report", {}};
    m.statements.push_back("ALTER TABLE backends ADD COLUMN agent_report TEXT NULL");
    return m;
}

}  // namespace

std::string metaTableDdl(const SqlDialect& d) {
    return fmt::format(
        "CREATE TABLE IF NOT EXISTS __meta__ ("
        " version INTEGER NOT NULL PRIMARY KEY,"
        " description TEXT NOT NULL,"
        " applied_at_us {} NOT NULL"
        "){}",
        d.bigintType(), d.tableSuffix());
}

std::vector<Migration> schemaMigrations(const SqlDialect& dialect) {
    return {initialTables(dialect),  changeNotifications(dialect),   meetingCreateParams(dialect),
            controller(dialect),     commandQueue(dialect),          recordingsIndex(dialect),
            callbackOutbox(dialect), frontendDeactivatedBy(dialect), meetingEnds(dialect),
            agentReport(dialect)};
}

}  // namespace b3s::core::store
