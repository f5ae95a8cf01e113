// b3s_bench_placement: the placement decision alone, in process, with Google Benchmark.
//
// A cluster view with N backends (10, 100, 1,000, 10,000) and 10 meetings on each, all
// placed within the last hour (the worst case: every one is listed to the balancer as a
// recent placement), every backend measured by a poll (so the attendance lookups hit).
//
//   Decision/<balancer>/N  what MeetingPlacer::decide pays per create: the view changed since
//                          its last decision (one meeting placed, another one ended — a
//                          placement always changes the view), so the candidates are brought
//                          up to date (CandidateSet::refresh) and the balancer chooses.
//   Rebuild/<balancer>/N   the same from scratch (placementCandidates() + choose()): what every
//                          decision cost before CandidateSet, and still the cost after a
//                          backend came or went.
//   Choose/<balancer>/N    choose() alone over prepared candidates.
//
// Run: build/bin/b3s_bench_placement [--benchmark_repetitions=5 …]

#include "cluster/attendance.hpp"
#include "cluster/cluster_state.hpp"
#include "cluster/placement_candidates.hpp"
#include "store/store.hpp"
#include "util/system_clock.hpp"

#include "least_load_strategy.hpp"
#include "reserved_seats_strategy.hpp"
#include "round_robin_strategy.hpp"

#include <benchmark/benchmark.h>

#include <unistd.h>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace {

namespace cluster = b3s::core::cluster;
namespace store = b3s::core::store;
namespace plugin = b3s::plugin;

constexpr int kMeetingsPerBackend = 10;
constexpr int kFrontends = 100;  // meetings spread over tenants, as in a real cluster

b3s::core::SystemClock& benchClock() {
    static b3s::core::SystemClock c;
    return c;
}

// The strategies are built here without the loader, so they get the SDK's clock directly.
class PluginClock final : public plugin::Clock {
public:
    std::int64_t nowMicros() const override { return benchClock().nowMicros(); }
};

const plugin::Clock& pluginClock() {
    static const PluginClock c;
    return c;
}

// The view needs a store to exist; put() never touches it, so an empty SQLite file will do.
store::Store& unusedStore() {
    static const std::string path =
        (std::filesystem::temp_directory_path() / ("b3s-bench-placement-" + std::to_string(::getpid()) + ".db"))
            .string();
    static std::unique_ptr<store::Store> s = [] {
        store::StoreOptions options;
        options.url = "sqlite://" + path;
        options.pool_size = 1;
        return store::openStore(options, benchClock());
    }();
    return *s;
}

std::string uuidLike(const char* prefix, int i) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s-0000-4000-8000-%012d", prefix, i);
    return buf;
}

struct World {
    std::unique_ptr<cluster::ClusterState> state;
    cluster::Attendance attendance;
    std::int64_t now_us = 0;
};

// One world per size, built once: 100,000 meetings take a few seconds to put.
World& worldOf(int backends) {
    static std::map<int, std::unique_ptr<World>> worlds;
    auto& slot = worlds[backends];
    if (slot) return *slot;
    slot = std::make_unique<World>();
    auto& w = *slot;
    w.state = std::make_unique<cluster::ClusterState>(unusedStore());
    w.now_us = benchClock().nowMicros();
    for (int f = 0; f < kFrontends; ++f) {
        store::Frontend row;
        row.id = uuidLike("f0000000", f);
        row.key = "tenant" + std::to_string(f);
        row.secret = "secret";
        row.version = 1;
        w.state->put(row);
    }
    int meeting = 0;
    for (int b = 0; b < backends; ++b) {
        store::Backend row;
        row.id = uuidLike("b0000000", b);
        row.host = "https://bbb" + std::to_string(b) + ".example.org/bigbluebutton/api/";
        row.secret = "secret";
        row.admin_state = store::AdminState::Ready;
        row.node_state = "ready";
        row.tags = {"bbb30"};
        row.version = 1;
        w.state->put(row);
        std::unordered_map<std::string, int> participants;
        for (int m = 0; m < kMeetingsPerBackend; ++m, ++meeting) {
            store::Meeting mr;
            mr.id = "meeting-" + std::to_string(meeting);
            mr.frontend_id = uuidLike("f0000000", meeting % kFrontends);
            mr.backend_id = row.id;
            mr.internal_id = "internal-" + std::to_string(meeting);
            mr.size_hint = 20;
            mr.created_at = w.now_us - 60'000'000 + meeting;  // within the recent window
            mr.updated_at = mr.created_at;
            mr.version = 1;
            w.state->put(mr);
            participants.emplace(mr.id, 12);
        }
        w.attendance.measured(row.id, w.now_us - 1'000'000, std::move(participants));
    }
    return w;
}

using StrategyFactory = std::function<std::unique_ptr<plugin::BalancerStrategy>()>;

plugin::PlacementRequest requestAt(std::int64_t now_us) {
    plugin::PlacementRequest r;
    r.frontend_key = "tenant0";
    r.meeting_id = "new-meeting";
    r.size_hint = 20;
    r.now_us = now_us;
    return r;
}

void decision(benchmark::State& st, const StrategyFactory& make) {
    const int backends = static_cast<int>(st.range(0));
    auto& w = worldOf(backends);
    auto strategy = make();
    const auto request = requestAt(w.now_us);
    cluster::CandidateSet set;
    auto retired = set.refresh(w.state->snapshot(), w.attendance, true, w.now_us);
    std::optional<std::string> extra;  // one meeting placed per decision, the previous one ended
    int turn = 0;
    for (auto _ : st) {
        st.PauseTiming();
        retired.reset();  // as MeetingPlacer does, after its lock
        if (extra) w.state->removeMeeting(*extra);
        store::Meeting m;
        m.id = "extra-" + std::to_string(turn);
        m.frontend_id = uuidLike("f0000000", turn % kFrontends);
        m.backend_id = uuidLike("b0000000", turn % backends);
        m.created_at = w.now_us;
        m.updated_at = m.created_at;
        m.version = 1;
        w.state->put(m);
        extra = m.id;
        ++turn;
        auto snapshot = w.state->snapshot();
        st.ResumeTiming();
        retired = set.refresh(std::move(snapshot), w.attendance, false, request.now_us);
        auto placement = strategy->choose(request, set.candidates());
        benchmark::DoNotOptimize(placement);
    }
    if (extra) w.state->removeMeeting(*extra);
    st.SetComplexityN(st.range(0));
}

void rebuild(benchmark::State& st, const StrategyFactory& make) {
    auto& w = worldOf(static_cast<int>(st.range(0)));
    auto strategy = make();
    const auto snapshot = w.state->snapshot();
    const auto request = requestAt(w.now_us);
    for (auto _ : st) {
        auto candidates = cluster::placementCandidates(*snapshot, w.attendance, request.now_us);
        auto placement = strategy->choose(request, candidates);
        benchmark::DoNotOptimize(placement);
    }
    st.SetComplexityN(st.range(0));
}

void chooseOnly(benchmark::State& st, const StrategyFactory& make) {
    auto& w = worldOf(static_cast<int>(st.range(0)));
    auto strategy = make();
    const auto candidates = cluster::placementCandidates(*w.state->snapshot(), w.attendance, w.now_us);
    const auto request = requestAt(w.now_us);
    for (auto _ : st) {
        auto placement = strategy->choose(request, candidates);
        benchmark::DoNotOptimize(placement);
    }
    st.SetComplexityN(st.range(0));
}

}  // namespace

int main(int argc, char** argv) {
    const std::map<std::string, StrategyFactory> strategies = {
        {"least_load",
         []() -> std::unique_ptr<plugin::BalancerStrategy> {
             return std::make_unique<b3s::balancer::least_load::LeastLoadStrategy>();
         }},
        {"reserved_seats",
         []() -> std::unique_ptr<plugin::BalancerStrategy> {
             return std::make_unique<b3s::balancer::reserved_seats::ReservedSeatsStrategy>(
                 b3s::balancer::reserved_seats::Settings{}, 42, pluginClock());
         }},
        {"round_robin",
         []() -> std::unique_ptr<plugin::BalancerStrategy> {
             return std::make_unique<b3s::balancer::round_robin::RoundRobinStrategy>();
         }},
    };
    for (const auto& [name, make] : strategies) {
        for (const auto& [kind, fn] :
             {std::pair{"Decision", &decision}, std::pair{"Rebuild", &rebuild}, std::pair{"Choose", &chooseOnly}}) {
            benchmark::RegisterBenchmark((std::string(kind) + "/" + name).c_str(),
                                         [fn = fn, make = make](benchmark::State& st) { fn(st, make); })
                ->RangeMultiplier(10)
                ->Range(10, 10'000)
                ->Unit(benchmark::kMicrosecond)
                ->Complexity(benchmark::oN);
        }
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    std::filesystem::remove(std::filesystem::temp_directory_path() /
                            ("b3s-bench-placement-" + std::to_string(::getpid()) + ".db"));
    return 0;
}
