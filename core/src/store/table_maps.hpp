#pragma once
// Where each table of the store meets its struct (records.hpp): one RowMap per table, one
// line per column (row_map.hpp explains the machinery). SqlStore generates from these maps
// every SELECT list and row reader, and the INSERT (and the whole-row UPDATE, where there is
// one) with its bindings; the statements that change a few columns on purpose (a poll
// result, a heartbeat, a meeting's move) name those columns by hand and need no change when
// a column is added. tests/store/table_map_test.cpp checks every map against the migrated
// schema of both connectors: names, value types, NULL-ability, and that every column of
// every table is mapped or listed as unmapped.
//
// Adding a column to backends, frontends, meetings, recordings or commands takes exactly:
//  1. migrations.cpp: a new Migration appended to schemaMigrations(), e.g.
//       ALTER TABLE backends ADD COLUMN region TEXT NOT NULL DEFAULT ''
//     (SQLite adds a NOT NULL column only with a DEFAULT; types that differ between the
//     connectors come from SqlDialect: bigintType(), jsonColumn(), …);
//  2. records.hpp: the struct member, e.g. `std::string region;` (std::optional<T> when the
//     column may hold NULL: table_map_test fails otherwise);
//  3. here: one line in the table's map, e.g.
//       col("region", &Backend::region, Written::ByInsertAndUpdate),
//     Written::ByInsert for a column the whole-row UPDATE leaves alone (one the controller
//     owns, or bookkeeping), Written::Never for one only the database or a hand-written
//     statement sets; a JSON or converted column names its codec: col<codec::Json>(…).
// Nothing else in the store changes. Tests: store_contract_test.cpp pins the schema history
// (kLatest and the version lists migrate() returns), so a new migration moves those numbers.

#include "store/agent_report_json.hpp"
#include "store/records.hpp"
#include "store/row_map.hpp"
#include "store/store_error.hpp"
#include "store/tags_json.hpp"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::store {

/// One entry of a recording's metadata as stored (Recording::metadata holds name and value).
struct RecordingMetadataRow {
    std::string record_id;
    std::string name;
    std::string value;
};

namespace codec {

/// AdminState as its b3scale name.
struct AdminStateText {
    using Member = AdminState;
    using Stored = std::string;
    static constexpr bool kJson = false;
    static void read(Stored&& in, Member& out) {
        const auto state = parseAdminState(in);
        if (!state) throw StoreError(StoreError::Kind::Internal, "a backend has an unknown admin_state '" + in + "'");
        out = *state;
    }
    static Stored write(const Member& m) { return toString(m); }
};

/// Backend tags as a JSON array of strings.
struct TagsJson {
    using Member = std::vector<std::string>;
    using Stored = std::string;
    static constexpr bool kJson = true;
    static void read(Stored&& in, Member& out) { out = tagsFromJson(in); }
    static Stored write(const Member& m) { return tagsToJson(m); }
};

/// A node agent's report as JSON text, or NULL.
struct AgentReportText {
    using Member = std::optional<AgentReport>;
    using Stored = Poco::Nullable<std::string>;
    static constexpr bool kJson = false;
    static void read(Stored&& in, Member& out) {
        if (in.isNull())
            out.reset();
        else
            out = agentReportFromJson(in.value());
    }
    static Stored write(const Member& m) { return m ? Stored(agentReportToJson(*m)) : Stored(); }
};

}  // namespace codec

// One column per line, so a column is added (and reviewed) as one line.
// clang-format off
inline constexpr auto kBackendRows = rowMap(
    "backends", unmapped(),
    col("id", &Backend::id, Written::ByInsert),
    col("host", &Backend::host, Written::ByInsertAndUpdate),
    col("secret", &Backend::secret, Written::ByInsertAndUpdate),
    col<codec::AdminStateText>("admin_state", &Backend::admin_state, Written::ByInsertAndUpdate),
    col("node_state", &Backend::node_state, Written::ByInsert),
    col("load_factor", &Backend::load_factor, Written::ByInsertAndUpdate),
    col<codec::TagsJson>("tags", &Backend::tags, Written::ByInsertAndUpdate),
    col("agent_ref", &Backend::agent_ref, Written::ByInsertAndUpdate),
    col("agent_heartbeat_us", &Backend::agent_heartbeat, Written::ByInsertAndUpdate),
    col<codec::AgentReportText>("agent_report", &Backend::agent_report, Written::ByInsert),
    col("latency_us", &Backend::latency, Written::ByInsert),
    col("last_error", &Backend::last_error, Written::ByInsert),
    col("meetings_count", &Backend::meetings_count, Written::ByInsert),
    col("attendees_count", &Backend::attendees_count, Written::ByInsert),
    col("created_at_us", &Backend::created_at, Written::ByInsert),
    col("updated_at_us", &Backend::updated_at, Written::ByInsertAndUpdate),
    col("synced_at_us", &Backend::synced_at, Written::ByInsert),
    col("version", &Backend::version, Written::ByInsert),  // the UPDATE bumps it itself
    col("poll_seq", &Backend::poll_seq, Written::ByInsert));

inline constexpr auto kFrontendRows = rowMap(
    "frontends", unmapped(),
    col("id", &Frontend::id, Written::ByInsert),
    col("key", &Frontend::key, Written::ByInsertAndUpdate),
    col("secret", &Frontend::secret, Written::ByInsertAndUpdate),
    col("account_ref", &Frontend::account_ref, Written::ByInsertAndUpdate),
    col<codec::Json>("settings", &Frontend::settings_json, Written::ByInsertAndUpdate),
    col("active", &Frontend::active, Written::ByInsertAndUpdate),
    col("deactivated_by", &Frontend::deactivated_by, Written::ByInsertAndUpdate),
    col("created_at_us", &Frontend::created_at, Written::ByInsert),
    col("updated_at_us", &Frontend::updated_at, Written::ByInsertAndUpdate),
    col("version", &Frontend::version, Written::ByInsert));

// Meetings have no whole-row UPDATE: every change of one is an operation of its own.
inline constexpr auto kMeetingRows = rowMap(
    "meetings", unmapped(),
    col("id", &Meeting::id, Written::ByInsert),
    col("internal_id", &Meeting::internal_id, Written::ByInsert),
    col("frontend_id", &Meeting::frontend_id, Written::ByInsert),
    col("backend_id", &Meeting::backend_id, Written::ByInsert),
    col<codec::Json>("state", &Meeting::state_json, Written::ByInsert),
    col<codec::Json>("create_params", &Meeting::create_params_json, Written::ByInsert),
    col("size_hint", &Meeting::size_hint, Written::ByInsert),
    col("created_at_us", &Meeting::created_at, Written::ByInsert),
    col("updated_at_us", &Meeting::updated_at, Written::ByInsert),
    col("synced_at_us", &Meeting::synced_at, Written::ByInsert),
    col("version", &Meeting::version, Written::ByInsert),
    col("lost_at_us", &Meeting::lost_at, Written::ByInsert));

inline constexpr auto kCommandRows = rowMap(
    "commands", unmapped(),
    col("id", &Command::id, Written::ByInsert),
    col("seq", &Command::seq, Written::Never),  // assigned by the database, in queue order
    col("state", &Command::state, Written::ByInsert),
    col("action", &Command::action, Written::ByInsert),
    col<codec::JsonOrJsonNull>("params", &Command::params_json, Written::ByInsert),
    col<codec::OptionalJson>("result", &Command::result_json, Written::Never),
    col("deadline_us", &Command::deadline, Written::ByInsert),
    col("started_at_us", &Command::started_at, Written::Never),
    col("stopped_at_us", &Command::stopped_at, Written::Never),
    col("created_at_us", &Command::created_at, Written::ByInsert));

// The recordings index. metadata is a table of its own (kRecordingMetadataRows), read and
// written with the row; the whole-row UPDATE is updateRecording's (name, state, published),
// and an upsert that finds the row writes every insert column but those it keeps (sql_store.cpp).
inline constexpr auto kRecordingRows = rowMap(
    "recordings", unmapped(),
    col("record_id", &Recording::record_id, Written::ByInsert),
    col("frontend_id", &Recording::frontend_id, Written::ByInsert),
    col("meeting_id", &Recording::meeting_id, Written::ByInsert),
    col("internal_meeting_id", &Recording::internal_meeting_id, Written::ByInsert),
    col("name", &Recording::name, Written::ByInsertAndUpdate),
    col("state", &Recording::state, Written::ByInsertAndUpdate),
    col("published", &Recording::published, Written::ByInsertAndUpdate),
    col("is_breakout", &Recording::is_breakout, Written::ByInsert),
    col("start_time", &Recording::start_time, Written::ByInsert),
    col("end_time", &Recording::end_time, Written::ByInsert),
    col("participants", &Recording::participants, Written::ByInsert),
    col<codec::Json>("formats", &Recording::formats_json, Written::ByInsert),
    col("created_at_us", &Recording::created_at, Written::ByInsert),
    col("updated_at_us", &Recording::updated_at, Written::ByInsertAndUpdate),
    col("version", &Recording::version, Written::ByInsert));  // the UPDATE bumps it itself

inline constexpr auto kRecordingMetadataRows = rowMap(
    "recording_metadata", unmapped(),
    col("record_id", &RecordingMetadataRow::record_id, Written::ByInsert),
    col("name", &RecordingMetadataRow::name, Written::ByInsert),
    col("value", &RecordingMetadataRow::value, Written::ByInsert));

// The callback outbox: rows are inserted whole and changed by the claim and finish
// statements, which name their columns.
inline constexpr auto kCallbackRows = rowMap(
    "callback_outbox", unmapped(),
    col("id", &OutboxCallback::id, Written::ByInsert),
    col("frontend_id", &OutboxCallback::frontend_id, Written::ByInsert),
    col("method", &OutboxCallback::method, Written::ByInsert),
    col("url", &OutboxCallback::url, Written::ByInsert),
    col("body", &OutboxCallback::body, Written::ByInsert),
    col("content_type", &OutboxCallback::content_type, Written::ByInsert),
    col("dedupe_key", &OutboxCallback::dedupe_key, Written::ByInsert),
    col("state", &OutboxCallback::state, Written::ByInsert),
    col("attempts", &OutboxCallback::attempts, Written::ByInsert),
    col("next_attempt_at_us", &OutboxCallback::next_attempt_at, Written::ByInsert),
    col("claimed_by", &OutboxCallback::claimed_by, Written::Never),
    col("claim_expires_at_us", &OutboxCallback::claim_expires_at, Written::Never),
    col("last_error", &OutboxCallback::last_error, Written::Never),
    col("created_at_us", &OutboxCallback::created_at, Written::ByInsert),
    col("updated_at_us", &OutboxCallback::updated_at, Written::ByInsert));

// A claimed poll. Its lease_id is the one the claim just generated, not read back.
inline constexpr auto kPollLeaseRows = rowMap(
    "backend_polls", unmapped("due_us", "lease_id", "lease_until_us", "polls"),
    col("backend_id", &PollLease::backend_id, Written::Never),
    joined("backends", "node_state", &PollLease::node_state),
    col("failures", &PollLease::failures, Written::Never),
    col("successes", &PollLease::successes, Written::Never));

// One applied migration; SchemaStatus::latest is what this binary knows, not a column.
inline constexpr auto kSchemaVersionRows = rowMap(
    "__meta__", unmapped(),
    col("version", &SchemaStatus::current, Written::ByInsert),
    col("description", &SchemaStatus::description, Written::ByInsert),
    col("applied_at_us", &SchemaStatus::applied_at, Written::ByInsert));
// clang-format on

/// Tables the store never reads into a struct (written by hand, or kept for later).
inline constexpr std::array<std::string_view, 2> kTablesWithoutMap{"frontend_meetings", "meeting_ends"};

/// Every map above as data, for the schema check.
inline std::vector<MappedTable> describeTableMaps() {
    return {describe(kBackendRows),   describe(kFrontendRows),          describe(kMeetingRows),
            describe(kRecordingRows), describe(kRecordingMetadataRows), describe(kCommandRows),
            describe(kPollLeaseRows), describe(kSchemaVersionRows),     describe(kCallbackRows)};
}

}  // namespace b3s::core::store
