#pragma once
// Committed changes to frontends, backends and meetings, as other b3scaled instances (and
// this one) make them, so an in-memory view can follow the database without polling it.
//
// A Change names a row, never its content: the receiver re-reads the row from the store
// (the database stays the source of truth) or drops it on Delete. ResyncAll means "changes
// may have been missed; reload everything": it is delivered after every (re)connect of a
// feed, before any row change received on that connection.
//
// Delivery is at least once per committed change while connected, in commit order, with
// duplicates possible; nothing is delivered for a transaction that rolled back.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace b3s::core::store {

struct Change {
    enum class Table { Frontends, Backends, Meetings };
    enum class Op {
        Upsert,     ///< the row was inserted or changed: re-read it
        Delete,     ///< the row is gone
        ResyncAll,  ///< reload everything; `table` and `id` carry no meaning
    };
    Table table = Table::Frontends;
    Op op = Op::ResyncAll;
    std::string id;  ///< frontend/backend uuid or meeting id; empty for ResyncAll

    bool operator==(const Change&) const = default;
};

const char* toString(Change::Table table) noexcept;
const char* toString(Change::Op op) noexcept;
/// "meetings upsert <id>", "resync all": for logs and test messages.
std::string describe(const Change& change);

/// Parses a notification payload written by the database triggers of schema migration 2:
/// `<table> <op> <id>` with table frontends|backends|meetings and op insert|update|delete
/// (the id is the rest of the line and may contain blanks), or `<table> resync` when the
/// id is too long to fit into a notification. nullopt for anything else.
std::optional<Change> parseChangeNotification(std::string_view payload);

/// A source of Changes, delivered on a thread of the feed's own.
///
/// Thread-safety: start() and stop() may be called from any thread but not concurrently
/// with each other, and never from inside the handler (stop() joins the feed's thread).
/// Ownership: the handler is kept until stop() returns; whatever it references must
/// outlive that. A feed is stopped by its destructor as well.
class ChangeFeed {
public:
    using Handler = std::function<void(const Change&)>;

    virtual ~ChangeFeed() = default;

    /// Starts delivering to `handler`, which is called on the feed's thread, one Change at
    /// a time. The handler should not throw; an exception it throws is logged and the
    /// feed carries on. Throws std::logic_error when already started.
    virtual void start(Handler handler) = 0;
    /// Stops delivering and returns once the handler is no longer running and will not be
    /// called again. Idempotent. Prompt (about 100 ms) unless a handler call is in progress.
    virtual void stop() = 0;
};

/// The feed of a store shared by no other process (embedded SQLite): this process's own
/// writes update its caches directly, so there is never anything to deliver.
class SilentChangeFeed final : public ChangeFeed {
public:
    void start(Handler handler) override;
    void stop() override;

private:
    bool started_ = false;
};

}  // namespace b3s::core::store
