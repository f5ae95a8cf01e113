#pragma once
// The store: the only way core reaches the database. One narrow interface, two
// connectors (PostgreSQL for production and several instances, SQLite embedded).
//
// Errors: every method may throw StoreError; nothing else escapes. Not-found is a value
// (nullopt / false), not an error.
// Thread-safety: every method may be called concurrently; each call takes a pooled
// connection for its duration.

#include "store/change_feed.hpp"
#include "store/records.hpp"
#include "store/store_error.hpp"

#include "metrics/metric_handles.hpp"
#include "util/clock.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::store {

class Store {
public:
    virtual ~Store() = default;

    /// "postgresql" or "sqlite".
    virtual std::string_view connectorName() const = 0;
    /// Whether several b3scaled processes may share this store (PostgreSQL only).
    virtual bool supportsSeveralInstances() const = 0;
    /// Where the data lives, with any password masked, for logs.
    virtual std::string describe() const = 0;

    /// Round trip to the database. Throws StoreError(Unavailable) when it cannot answer.
    virtual void ping() = 0;
    virtual SchemaStatus schemaStatus() = 0;
    /// Applies every pending migration, each in its own transaction, and returns the
    /// versions applied (empty when already current). Safe to run from several processes
    /// at once. Throws SchemaMismatch when the database is newer than this binary.
    virtual std::vector<int> migrate() = 0;

    // Backends. Insert ignores id/version/timestamps of the argument and returns the row.
    virtual Backend insertBackend(const Backend& b) = 0;
    virtual std::optional<Backend> findBackend(std::string_view id) = 0;
    virtual std::vector<Backend> listBackends() = 0;
    /// The backend a node agent registered (agent_ref = the agent token's subject).
    virtual std::optional<Backend> findBackendByAgent(std::string_view agent_ref) = 0;
    /// The agent of the backend is alive at `at`: only agent_heartbeat changes (no version
    /// bump, so an operator's edit never fails because of a heartbeat). nullopt when gone.
    virtual std::optional<Backend> recordHeartbeat(std::string_view backend_id, Micros at,
                                                   const std::optional<AgentReport>& report) = 0;
    /// Writes the administered columns of `b` (host, secret, admin state, load factor, tags,
    /// agent) if the row still has `b.version`; returns the new row. The observed columns
    /// (node_state, latency, last_error, counts, synced_at) belong to the controller and are
    /// left alone, so an edit and a poll never overwrite each other. Throws Stale when the
    /// row changed since it was read, and returns nullopt when gone.
    virtual std::optional<Backend> updateBackend(const Backend& b) = 0;
    virtual bool deleteBackend(std::string_view id) = 0;

    // Frontends, same rules.
    virtual Frontend insertFrontend(const Frontend& f) = 0;
    virtual std::optional<Frontend> findFrontend(std::string_view id) = 0;
    virtual std::optional<Frontend> findFrontendByKey(std::string_view key) = 0;
    virtual std::vector<Frontend> listFrontends() = 0;
    /// Tenancy in the query itself: only frontends whose account_ref is `account_ref`.
    virtual std::vector<Frontend> listFrontendsOfAccount(std::string_view account_ref) = 0;
    virtual std::optional<Frontend> findFrontendOfAccount(std::string_view id, std::string_view account_ref) = 0;
    virtual std::optional<Frontend> updateFrontend(const Frontend& f) = 0;
    virtual bool deleteFrontend(std::string_view id) = 0;

    // Meetings. Lookups are always scoped to a frontend: another frontend's meeting is
    // indistinguishable from a missing one.
    /// Inserts the meeting, or returns the existing row unchanged when `m.id` exists
    /// for the same frontend (first create wins). Throws Conflict when the id belongs to
    /// another frontend.
    virtual Meeting insertMeeting(const Meeting& m) = 0;
    virtual std::optional<Meeting> findMeeting(std::string_view frontend_id, std::string_view meeting_id) = 0;
    virtual std::vector<Meeting> listMeetings(std::string_view frontend_id) = 0;
    virtual bool deleteMeeting(std::string_view frontend_id, std::string_view meeting_id) = 0;
    /// The backend acknowledged the create: records its internal id and answer (and sets
    /// synced_at), provided the meeting is still placed on `backend_id`. Returns the new row,
    /// or nullopt when the meeting is gone or was moved meanwhile. Throws Conflict when
    /// another meeting already has this internal id.
    virtual std::optional<Meeting> markMeetingCreated(std::string_view frontend_id, std::string_view meeting_id,
                                                      std::string_view backend_id, std::string_view internal_id,
                                                      std::string_view state_json) = 0;
    /// Moves a placement to `to_backend` (internal id and state cleared: a create is due
    /// there), provided it is still on `from_backend` (nullopt: on no backend, its backend was
    /// deleted). Returns the new row, or nullopt when the placement changed or is gone.
    virtual std::optional<Meeting> moveMeeting(std::string_view frontend_id, std::string_view meeting_id,
                                               const std::optional<std::string>& from_backend,
                                               std::string_view to_backend) = 0;
    /// Undoes a placement whose create failed: deletes it only while it is still on
    /// `backend_id` and not acknowledged (internal id NULL), so a create that another request
    /// completed meanwhile is never lost. Returns whether a row was deleted.
    virtual bool deletePendingMeeting(std::string_view frontend_id, std::string_view meeting_id,
                                      std::string_view backend_id) = 0;

    // The cluster controller --------------------------------------------------------------
    /// Claims up to `limit` backends whose poll is due at `now` and not leased: each claim
    /// sets the next due time to now + interval and a lease until now + lease. Concurrent
    /// claims from several instances never hand out one backend twice (SKIP LOCKED).
    /// Backends without a schedule yet are due at once.
    virtual std::vector<PollLease> claimDuePolls(Micros now, Micros interval, Micros lease, int limit) = 0;
    /// Records a poll's result on the backend row (poll_seq bumped, version untouched) if
    /// `lease` is still held and unexpired at `record.at`, with `record.meetings_lost` also
    /// marking the backend's meetings lost (markMeetingsLost) in the same transaction.
    /// Returns the new row and those meetings, or nullopt when the lease was lost (expired
    /// and re-claimed: the result is discarded) or the backend is gone.
    virtual std::optional<RecordedPoll> recordPoll(const PollLease& lease, const PollRecord& record) = 0;
    /// Moves the backend's next poll to `at` if it is due later (a hint that something
    /// changed). Returns whether it was moved.
    virtual bool requestPoll(std::string_view backend_id, Micros at) = 0;
    /// Gives the lease back without a result and makes the backend due at `due` (a poll that
    /// was not needed: a live agent reports for it). False when the lease was lost.
    virtual bool deferPoll(const PollLease& lease, Micros due) = 0;
    /// Writes observed state without a lease (what the agent reports; tools and tests). The
    /// controller's next poll overwrites it. Returns the new row, nullopt when gone.
    virtual std::optional<Backend> recordObservation(std::string_view backend_id, const PollRecord& record) = 0;
    /// Every meeting placed on the backend, ordered by created_at, then id. Internal.
    virtual std::vector<Meeting> listMeetingsOnBackend(std::string_view backend_id) = 0;
    /// Marks every meeting on the backend lost (those not lost already); returns them.
    virtual std::vector<Meeting> markMeetingsLost(std::string_view backend_id, Micros at) = 0;
    /// One meeting found dead with its backend (a join's check of the backend got no answer):
    /// marked lost at `at`, provided it is still created on `backend_id` and not lost already.
    /// Returns the new row, nullopt when it changed meanwhile (moved, lost, gone).
    virtual std::optional<Meeting> markMeetingLost(std::string_view frontend_id, std::string_view meeting_id,
                                                   std::string_view backend_id, Micros at) = 0;
    /// Undoes the move of a lost meeting whose re-creation failed: the placement `lost` had
    /// (backend, internal id, state) is put back, marked lost (at `lost.lost_at`, else `at`),
    /// provided the meeting is still the pending placement on `from_backend`; so it keeps what
    /// its first backend generated for the next attempt. Returns the new row, nullopt when
    /// the placement changed meanwhile.
    virtual std::optional<Meeting> restoreLostMeeting(const Meeting& lost, std::string_view from_backend,
                                                      Micros at) = 0;
    /// The backend runs this lost meeting after all: not lost any more. Returns the new row,
    /// nullopt when it is not a lost meeting on that backend.
    virtual std::optional<Meeting> clearMeetingLost(std::string_view meeting_id, std::string_view backend_id) = 0;
    /// Removes a meeting its backend no longer runs: only while it is still on that backend,
    /// not lost, and unchanged since `unchanged_since` (a create acknowledged after the poll
    /// asked the backend is kept). Returns whether a row was deleted.
    virtual bool deleteVanishedMeeting(std::string_view meeting_id, std::string_view backend_id,
                                       Micros unchanged_since) = 0;
    /// Forgets meetings lost before `before`; returns their ids.
    virtual std::vector<std::string> deleteLostMeetings(Micros before) = 0;
    /// Deletes a decommissioned backend that carries no meeting but lost ones (those keep
    /// their placement on no backend and are re-created on their next create or join).
    /// Returns whether it was deleted.
    virtual bool deleteDrainedBackend(std::string_view backend_id) = 0;

    // Meeting ends: deleteMeeting, deleteVanishedMeeting and deleteLostMeetings record when
    // each meeting row they delete ended, in the same transaction, so a callback token of
    // that incarnation (meeting id + the row's created_at) is honoured for a grace period
    // after the end and never again once the record is pruned.
    /// When the meeting `meeting_id` of `frontend_id` whose row was created at `created_at`
    /// was seen to end; nullopt when it was not (still running, never known, or pruned).
    virtual std::optional<Micros> findMeetingEnd(std::string_view frontend_id, std::string_view meeting_id,
                                                 Micros created_at) = 0;
    /// The latest end recorded of any incarnation of the meeting `meeting_id` (encoded ids
    /// name their frontend); nullopt when none is (never ended here, or pruned).
    virtual std::optional<Micros> lastMeetingEnd(std::string_view meeting_id) = 0;
    /// Prunes the meeting ends recorded before `before`; returns how many.
    virtual std::size_t deleteMeetingEnds(Micros before) = 0;

    // Internal, unscoped meeting access: for loading the in-memory cluster view and for
    // the reconciler. Never answer a frontend's request with these; use the scoped
    // lookups above, so one tenant cannot reach another's meetings.
    /// Every meeting of every frontend, ordered by created_at, then id.
    virtual std::vector<Meeting> listAllMeetings() = 0;
    /// The meeting with this id, whichever frontend owns it.
    virtual std::optional<Meeting> findMeetingById(std::string_view id) = 0;
    /// The meeting a backend knows by this internal id, whichever frontend owns it.
    virtual std::optional<Meeting> findMeetingByInternalId(std::string_view internal_id) = 0;
    /// Replaces the state document of a meeting (what an agent or an operator reports).
    /// Returns the new row, nullopt when gone.
    virtual std::optional<Meeting> updateMeetingState(std::string_view id, std::string_view state_json) = 0;

    // Recordings (the index; files belong to the recordings plugin) ------------------------
    /// Inserts the recording, or updates the row with this record_id when it belongs to the
    /// same frontend (every column but frontend_id, created_at; version bumped); metadata
    /// replaced as a whole. Throws Conflict when the record id belongs to another frontend.
    /// Returns the row as stored.
    virtual Recording upsertRecording(const Recording& r) = 0;
    /// Scoped: another frontend's recording is indistinguishable from a missing one.
    virtual std::optional<Recording> findRecording(std::string_view frontend_id, std::string_view record_id) = 0;
    /// Internal, unscoped (admin API, import, playback checks): the recording, whichever
    /// frontend owns it.
    virtual std::optional<Recording> findRecordingById(std::string_view record_id) = 0;
    /// getRecordings: one page of `query.frontend_id`'s recordings (query.frontend_id empty:
    /// every frontend's, for the admin API only), filtered in SQL.
    virtual RecordingPage listRecordings(const RecordingQuery& query) = 0;
    /// Writes state, published, name and metadata of `r` if the row still has `r.version`
    /// and belongs to `r.frontend_id`; returns the new row. Throws Stale when it changed
    /// since it was read; nullopt when gone.
    virtual std::optional<Recording> updateRecording(const Recording& r) = 0;
    /// Scoped delete; returns whether a row was deleted.
    virtual bool deleteRecording(std::string_view frontend_id, std::string_view record_id) = 0;
    /// How many recordings the frontend has (a frontend with recordings cannot be deleted).
    virtual std::int64_t countRecordings(std::string_view frontend_id) = 0;

    // The command queue ----------------------------------------------------------------------
    /// Queues `action` with its parameters (a JSON document) to start before `deadline`.
    virtual Command insertCommand(std::string_view action, std::string_view params_json, Micros deadline) = 0;
    virtual std::optional<Command> findCommand(std::string_view id) = 0;
    /// Every command, newest first.
    virtual std::vector<Command> listCommands() = 0;
    /// Claims the oldest command due: `requested`, or `running` but started before
    /// `now - lease` (its instance died). Those whose deadline passed before they could start
    /// end as error "timedout" on the way. Several instances never claim one command twice
    /// (SKIP LOCKED). Marks it running (started_at = now) and returns it.
    virtual std::optional<Command> claimCommand(Micros now, Micros lease) = 0;
    /// Records a running command's end; false when it was not running (any more).
    virtual bool finishCommand(std::string_view id, bool succeeded, std::string_view result_json, Micros at) = 0;
    /// Forgets finished commands whose deadline is before `before`; returns how many.
    virtual int deleteFinishedCommands(Micros before) = 0;

    // The callback outbox (callbacks/callback_outbox.hpp) ------------------------------------
    /// Queues `c`: id, state, attempts, claim and timestamps are the store's (pending, due at
    /// c.next_attempt_at). Returns the row, or nullopt when c.dedupe_key is set and a callback
    /// with that key exists already (a replay: nothing is written).
    virtual std::optional<OutboxCallback> insertCallback(const OutboxCallback& c) = 0;
    virtual std::optional<OutboxCallback> findCallback(std::string_view id) = 0;
    /// Newest first, at most `limit` (> 0), of the states named (every state when empty).
    virtual std::vector<OutboxCallback> listCallbacks(const std::vector<std::string>& states, int limit) = 0;
    /// Claims due callbacks: pending ones whose next attempt is due, and delivering ones whose
    /// claim expired (their instance died; one that had max_attempts already ends dead).
    /// Round-robin across frontends, the one waiting longest first: one callback of each
    /// frontend per round, never more than per_frontend of one frontend delivering at once
    /// (counting other instances' unexpired claims), so no tenant's backlog or dead URL holds
    /// up another's. Each is marked delivering under a new claim until now + lease, its
    /// attempts counted. Several instances never claim one callback twice (SKIP LOCKED).
    virtual std::vector<OutboxCallback> claimCallbacks(const CallbackClaim& claim) = 0;
    /// Records the outcome of the attempt `claimed_by` started, provided that claim still
    /// holds the callback (a claim taken over after its lease expired records nothing:
    /// false). Delivered and Dead end it; Retry makes it pending until next_attempt_at.
    virtual bool finishCallback(std::string_view id, std::string_view claimed_by, const CallbackOutcome& outcome) = 0;
    /// Queues a dead callback again: pending, due at `at`, attempts from zero. False when it
    /// is not dead (or gone).
    virtual bool retryCallback(std::string_view id, Micros at) = 0;
    /// Forgets delivered callbacks last changed before `delivered_before` and dead ones before
    /// `dead_before`; returns how many.
    virtual int deleteFinishedCallbacks(Micros delivered_before, Micros dead_before) = 0;
    virtual CallbackCounts countCallbacks() = 0;

    /// The connection pool now (for metrics).
    virtual PoolStats poolStats() const = 0;
    /// Every operation's duration is observed in `histogram` (label: the operation's name)
    /// from now on; nullptr stops it. `histogram` must outlive the store's use of it.
    virtual void timeQueries(const metrics::Histogram* histogram) = 0;

    /// A new, unstarted feed of the changes committed to frontends, backends and meetings
    /// by any process sharing this database (see change_feed.hpp). PostgreSQL: LISTEN on a
    /// connection of the feed's own, outside the pool; SQLite: a feed that never delivers.
    /// The feed copies what it needs and may outlive the store. It does not connect before
    /// start(), so an unreachable database is no error here (the feed retries; see there).
    virtual std::unique_ptr<ChangeFeed> openChangeFeed() = 0;
};

struct StoreOptions {
    std::string url;      ///< B3SCALE_DB_URL: postgres://…, postgresql://…, key=value, or sqlite:///path
    int pool_size = 128;  ///< B3SCALE_DB_POOL_SIZE
    int connect_timeout_s = 5;
    int acquire_timeout_ms = 5000;  ///< how long a caller waits for a free pooled connection
};

/// `clock` stamps created_at/updated_at and must outlive the store.
/// Opens the store named by `options.url` (no connection is required to succeed yet:
/// the first query connects). Throws StoreError(Invalid) for a URL it cannot use, and for
/// an embedded SQLite database another process has open (sqlite_instance_lock.hpp).
std::unique_ptr<Store> openStore(const StoreOptions& options, const Clock& clock);

}  // namespace b3s::core::store
