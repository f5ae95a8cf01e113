// Readers hammer the view while a writer changes it: every snapshot a reader gets must be
// whole (no meeting whose backend or frontend is missing from the same snapshot, no index
// disagreeing with another) and generations only move forward. Run it under the sanitizer
// build too (-DB3S_SANITIZE=ON).

#include "cluster/cluster_state.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

namespace b3s::test {
namespace {

using core::cluster::ClusterSnapshot;
using core::cluster::ClusterState;
using store::Backend;
using store::Frontend;
using store::Meeting;

constexpr int kReaders = 8;
constexpr int kChanges = 1000;
constexpr int kFrontends = 4;

std::string uuid(char kind, int n) {
    char buffer[37];
    std::snprintf(buffer, sizeof(buffer), "%08x-0000-4000-8000-%012d", static_cast<unsigned>(kind), n);
    return buffer;
}

// Everything a reader can check within one snapshot; returns the first problem found.
std::string tornIn(const ClusterSnapshot& s) {
    std::size_t meetings = 0;
    for (int i = 0; i < kFrontends; ++i) {
        const auto id = uuid('f', i);
        const auto f = s.frontend(id);
        if (!f) return "frontend " + id + " missing";
        if (s.frontendByKey(f->key) != f) return "key index disagrees for " + f->key;
        for (const auto& m : s.meetingsOfFrontend(id)) {
            ++meetings;
            if (m->frontend_id != id) return "meeting " + m->id + " listed under another frontend";
            if (s.meeting(id, m->id) != m) return "meeting index disagrees for " + m->id;
            if (m->backend_id && !s.backend(*m->backend_id))
                return "meeting " + m->id + " placed on backend " + *m->backend_id + " missing from the snapshot";
        }
    }
    if (meetings != s.meetingCount()) return "meeting count disagrees with the lists";
    if (s.backends().size() != s.backendCount()) return "backend list disagrees with the count";
    for (std::size_t i = 1; i < s.backends().size(); ++i)
        if (s.backends()[i - 1]->host > s.backends()[i]->host) return "backend list out of order";
    return {};
}

TEST(ClusterConcurrency, ReadersNeverSeeATornSnapshot) {
    auto db = TestDatabase::create(Engine::Sqlite);
    ManualCoreClock clock;
    auto store = store::openStore(optionsFor(db->url()), clock);  // unused: puts only
    ClusterState state(*store);

    for (int i = 0; i < kFrontends; ++i) {
        Frontend f;
        f.id = uuid('f', i);
        f.key = "tenant-" + std::to_string(i);
        f.version = 1;
        ASSERT_TRUE(state.put(f));
    }

    std::atomic<bool> done{false};
    std::atomic<long> reads{0};
    std::latch reading(kReaders);
    std::vector<std::string> problems(kReaders);
    std::vector<std::thread> readers;
    readers.reserve(kReaders);
    for (int r = 0; r < kReaders; ++r) {
        readers.emplace_back([&, r] {
            std::uint64_t last_generation = 0;
            long n = 0;
            while (!done.load() && problems[r].empty()) {
                const auto snap = state.snapshot();
                if (snap->generation() < last_generation) problems[r] = "generation went backwards";
                last_generation = snap->generation();
                if (auto problem = tornIn(*snap); !problem.empty()) problems[r] = problem;
                // The shorthands too (each on its own snapshot; only null-safety matters).
                if (const auto m = state.meeting(uuid('f', r % kFrontends), "m-1")) (void)m->backend_id;
                (void)state.backends()->size();
                if (++n == 1) reading.count_down();
            }
            if (n == 0) reading.count_down();
            reads += n;
        });
    }

    // Each step changes several structures at once: a backend removal unbinds its meeting,
    // a meeting moves, a frontend's key changes.
    reading.wait();
    int changes = 0;
    std::int64_t now = 1;
    std::vector<std::int64_t> versions(kFrontends, 1);
    std::vector<std::int64_t> created;
    for (int i = 0; changes < kChanges; ++i) {
        Backend b;
        b.id = uuid('b', i);
        b.host = "bbb-" + std::to_string(1000000 - i) + ".example";  // inserted in reverse host order
        b.version = 1;
        state.put(b);
        ++changes;

        Meeting m;
        m.id = "m-" + std::to_string(i);
        m.frontend_id = uuid('f', i % kFrontends);
        m.backend_id = b.id;
        m.created_at = m.updated_at = ++now;
        created.push_back(m.created_at);
        state.put(m);
        ++changes;

        if (i >= 1 && i % 3 == 0) {  // the others stay to be unbound by their backend's removal
            Meeting moved;
            moved.id = "m-" + std::to_string(i - 1);
            moved.frontend_id = uuid('f', (i - 1) % kFrontends);
            moved.backend_id = b.id;
            moved.created_at = created[static_cast<std::size_t>(i - 1)];
            moved.updated_at = ++now;
            state.put(moved);
            ++changes;
        }
        if (i >= 2) {
            state.removeBackend(uuid('b', i - 2));
            ++changes;
        }
        if (i >= 4) {
            state.removeMeeting("m-" + std::to_string(i - 4));
            ++changes;
        }
        if (i % 10 == 0) {
            Frontend f;
            f.id = uuid('f', i % kFrontends);
            f.key = "tenant-" + std::to_string(i % kFrontends) + "-v" + std::to_string(i);
            f.version = ++versions[static_cast<std::size_t>(i % kFrontends)];
            state.put(f);
            ++changes;
        }
    }
    done = true;
    for (auto& t : readers) t.join();

    for (int r = 0; r < kReaders; ++r) EXPECT_EQ(problems[r], "") << "reader " << r;
    EXPECT_GT(reads.load(), 10 * kReaders) << "the readers hardly ran";
    const auto final = state.snapshot();
    EXPECT_EQ(tornIn(*final), "");
    EXPECT_GE(final->generation(), static_cast<std::uint64_t>(kChanges));
    EXPECT_EQ(final->meetingCount(), 4u);
    EXPECT_EQ(final->backendCount(), 2u);
    RecordProperty("reads", std::to_string(reads.load()));
}

}  // namespace
}  // namespace b3s::test
