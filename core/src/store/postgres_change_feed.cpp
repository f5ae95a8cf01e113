#include "store/postgres_change_feed.hpp"

#include "log/logger.hpp"
#include "store/database_url.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <poll.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

namespace b3s::core::store {
namespace {

using SteadyClock = std::chrono::steady_clock;
using Conn = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

log::Logger& feedLog() {
    static log::Logger l("b3s.core.store");
    return l;
}

// Ends the current connection; the message says why.
struct FeedFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The first non-empty line of a libpq message ("FATAL:  terminating connection …").
std::string firstLine(const char* text) {
    std::string_view s = text ? text : "";
    while (!s.empty()) {
        const auto end = s.find('\n');
        auto line = s.substr(0, end);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t'))
            line.remove_suffix(1);
        if (!line.empty()) return std::string(line);
        if (end == std::string_view::npos) break;
        s.remove_prefix(end + 1);
    }
    return "no error text";
}

[[noreturn]] void fail(PGconn* c, std::string_view what) {
    throw FeedFailure(fmt::format("{}: {}", what, firstLine(c ? PQerrorMessage(c) : nullptr)));
}

// Waits up to `timeout` for `events` on the connection's socket. False on timeout.
bool waitFor(PGconn* c, short events, std::chrono::milliseconds timeout) {
    pollfd p{PQsocket(c), events, 0};
    if (p.fd < 0) fail(c, "no socket");
    const int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (r < 0) {
        if (errno == EINTR) return false;
        throw FeedFailure(std::string("poll: ") + std::strerror(errno));
    }
    return r > 0;
}

void checkResult(PGconn* c, PGresult* raw, std::string_view what) {
    const Result r(raw, PQclear);
    const auto status = PQresultStatus(r.get());
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    throw FeedFailure(fmt::format("{}: {}", what, firstLine(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(c))));
}

std::string rowKey(const Change& c) {
    return std::string(toString(c.table)) + '\n' + c.id;
}

}  // namespace

PostgresChangeFeed::PostgresChangeFeed(std::string conninfo, std::string description, std::string password,
                                       Timing timing)
    : conninfo_(std::move(conninfo)),
      description_(std::move(description)),
      password_(std::move(password)),
      timing_(timing) {}

PostgresChangeFeed::~PostgresChangeFeed() {
    stop();
}

void PostgresChangeFeed::start(Handler handler) {
    if (thread_.joinable()) throw std::logic_error("change feed already started");
    handler_ = std::move(handler);
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void PostgresChangeFeed::stop() {
    if (!thread_.joinable()) return;
    {
        // Under the mutex so a pause that just checked the flag cannot miss the wake-up.
        std::lock_guard lock(wake_mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    handler_ = nullptr;
}

bool PostgresChangeFeed::pauseUnlessStopped(std::chrono::milliseconds pause) {
    std::unique_lock lock(wake_mutex_);
    return !wake_.wait_for(lock, pause, [&] { return stopping_.load(); });
}

void PostgresChangeFeed::deliver(const Change& change) {
    try {
        handler_(change);
    } catch (const std::exception& e) {
        feedLog().error("change_handler_failed", {{"change", describe(change)}, {"error", e.what()}});
    }
}

void PostgresChangeFeed::run() {
    auto backoff = timing_.backoff_initial;
    std::uint64_t failures = 0;
    while (!stopping_) {
        const auto end = session();
        listening_ = false;
        if (stopping_) break;
        if (end.listened) {
            backoff = timing_.backoff_initial;
            failures = 0;
        }
        ++failures;
        // Every attempt of an outage would repeat the same line: the first few and then
        // one per backoff_max are enough.
        if (failures <= 3 || backoff == timing_.backoff_max) {
            feedLog().warn(end.listened ? "change_feed_lost" : "change_feed_connect_failed",
                           {{"database", description_},
                            {"error", redactSecret(end.error, password_)},
                            {"retry_in_ms", std::to_string(backoff.count())}});
        }
        if (!pauseUnlessStopped(backoff)) break;
        backoff = std::min(backoff * 2, timing_.backoff_max);
    }
}

PostgresChangeFeed::SessionEnd PostgresChangeFeed::session() {
    SessionEnd end;
    try {
        // Connect without blocking, so stop() is not held up by an unreachable server.
        Conn conn(PQconnectStart(conninfo_.c_str()), PQfinish);
        PGconn* c = conn.get();
        if (!c) throw FeedFailure("connect: out of memory");
        if (PQstatus(c) == CONNECTION_BAD) fail(c, "connect");
        const auto connect_deadline = SteadyClock::now() + timing_.connect_timeout;
        for (auto st = PGRES_POLLING_WRITING; st != PGRES_POLLING_OK;) {
            if (st == PGRES_POLLING_FAILED) fail(c, "connect");
            if (stopping_) return end;
            if (SteadyClock::now() > connect_deadline)
                throw FeedFailure(fmt::format("connect: no connection within {} ms", timing_.connect_timeout.count()));
            if (waitFor(c, st == PGRES_POLLING_READING ? POLLIN : POLLOUT, timing_.poll_slice)) st = PQconnectPoll(c);
        }
        PQsetNoticeProcessor(
            c,
            [](void*, const char* message) {
                feedLog().debug("change_feed_notice", {{"message", firstLine(message)}});
            },
            nullptr);

        // LISTEN, waiting for its answer in slices too.
        const std::string listen = std::string("LISTEN ") + kChannel;
        if (!PQsendQuery(c, listen.c_str())) fail(c, "LISTEN");
        const auto listen_deadline = SteadyClock::now() + timing_.connect_timeout;
        for (bool done = false; !done;) {
            while (!done && !PQisBusy(c)) {
                PGresult* r = PQgetResult(c);
                if (!r)
                    done = true;
                else
                    checkResult(c, r, "LISTEN");
            }
            if (done) break;
            if (stopping_) return end;
            if (SteadyClock::now() > listen_deadline)
                throw FeedFailure(fmt::format("LISTEN: no answer within {} ms", timing_.connect_timeout.count()));
            if (waitFor(c, POLLIN, timing_.poll_slice) && !PQconsumeInput(c)) fail(c, "LISTEN");
        }
        end.listened = true;
        listening_ = true;
        feedLog().info("change_feed_listening", {{"database", description_}, {"channel", kChannel}});

        // Anything committed before LISTEN took effect was not notified: reload it all.
        deliver(Change{Change::Table::Frontends, Change::Op::ResyncAll, {}});

        auto last_traffic = SteadyClock::now();
        bool heartbeat_pending = false;
        auto heartbeat_sent = last_traffic;
        std::vector<Change> batch;
        std::map<std::string, std::size_t> batch_index;
        while (!stopping_) {
            if (waitFor(c, POLLIN, timing_.poll_slice)) {
                if (!PQconsumeInput(c)) fail(c, "connection lost");
                last_traffic = SteadyClock::now();
            }
            while (heartbeat_pending && !PQisBusy(c)) {
                PGresult* r = PQgetResult(c);
                if (!r) {
                    heartbeat_pending = false;
                    break;
                }
                checkResult(c, r, "heartbeat");
            }

            batch.clear();
            batch_index.clear();
            bool resync = false;
            while (PGnotify* n = PQnotifies(c)) {
                const std::unique_ptr<PGnotify, decltype(&PQfreemem)> guard(n, PQfreemem);
                const auto change = parseChangeNotification(n->extra ? n->extra : "");
                if (!change) {
                    feedLog().warn("change_feed_bad_payload",
                                   {{"channel", n->relname ? n->relname : ""}, {"payload", n->extra ? n->extra : ""}});
                    continue;
                }
                if (change->op == Change::Op::ResyncAll) {
                    resync = true;
                    continue;
                }
                // Only the row's last state matters: the receiver re-reads it anyway.
                const auto [it, inserted] = batch_index.emplace(rowKey(*change), batch.size());
                if (inserted)
                    batch.push_back(*change);
                else
                    batch[it->second].op = change->op;
            }
            if (resync || batch.size() > timing_.max_batch) {
                deliver(Change{Change::Table::Frontends, Change::Op::ResyncAll, {}});
            } else {
                for (const auto& change : batch) {
                    if (stopping_) break;
                    deliver(change);
                }
            }

            if (PQstatus(c) == CONNECTION_BAD) fail(c, "connection lost");
            const auto now = SteadyClock::now();
            if (heartbeat_pending && now - heartbeat_sent > timing_.heartbeat_timeout)
                throw FeedFailure(
                    fmt::format("no answer to a heartbeat within {} ms", timing_.heartbeat_timeout.count()));
            if (!heartbeat_pending && now - last_traffic >= timing_.heartbeat_interval) {
                if (!PQsendQuery(c, "SELECT 1")) fail(c, "heartbeat");
                heartbeat_pending = true;
                heartbeat_sent = now;
            }
        }
    } catch (const FeedFailure& e) {
        end.error = e.what();
    }
    return end;
}

}  // namespace b3s::core::store
