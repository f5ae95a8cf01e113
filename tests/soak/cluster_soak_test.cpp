// The bounded soak (issue 16 item 8): two b3scaled instances on one real PostgreSQL, four
// fake BBB backends, three frontends and a callback receiver, under mixed, rate-limited
// traffic for B3S_SOAK_SECONDS (default 300) while backends die, hang and restart and
// PostgreSQL is stopped twice. Afterwards it checks what a user would notice: both processes
// lived and stop cleanly, every meeting still running is reachable from either instance,
// none runs on two backends, every acknowledged end produced its callbacks, and clients only
// ever saw the answers a BBB client handles. Prints a summary either way.

#include "soak_chaos.hpp"
#include "soak_client.hpp"
#include "soak_cluster.hpp"
#include "soak_outcomes.hpp"

#include "gateway_cluster.hpp"  // GatewayCluster::target

#include "bbb/meeting_id_codec.hpp"
#include "bbb/xml_tree.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace b3s::test::soak {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::seconds;

constexpr int kClients = 6;                // two per frontend
constexpr double kRequestsPerSecond = 40;  // all clients together
constexpr auto kCallbackDrain = seconds(30);

// Callback delivery is exactly-once per meeting incarnation and URL (the outbox's dedupe key),
// and stray copies are ended by the controller (meeting_reconciler.hpp): both asserted.
constexpr bool kCallbacksDeduplicated = true;
constexpr bool kStrayCopiesEnded = true;

seconds soakDuration() {
    const char* value = std::getenv("B3S_SOAK_SECONDS");
    if (!value || !*value) return seconds(300);
    char* end = nullptr;
    const long n = std::strtol(value, &end, 10);
    if (*end != '\0' || n < 10 || n > 3600)
        throw std::invalid_argument(std::string("B3S_SOAK_SECONDS must be 10..3600, not ") + value);
    return seconds(n);
}

std::uint64_t soakSeed() {
    const char* value = std::getenv("B3S_SOAK_SEED");
    return value && *value ? std::strtoull(value, nullptr, 10) : 1;
}

double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// Which fake backends hold each meeting (encoded id) right now.
std::map<std::string, std::vector<std::size_t>> placements(const SoakCluster& cluster) {
    std::map<std::string, std::vector<std::size_t>> where;
    for (std::size_t i = 0; i < cluster.backends.size(); ++i)
        for (const auto& m : cluster.backends[i]->meetings()) where[m.meetingId].push_back(i);
    return where;
}

std::size_t doublyPlaced(const SoakCluster& cluster) {
    std::size_t n = 0;
    for (const auto& [id, on] : placements(cluster)) n += on.size() > 1 ? 1 : 0;
    return n;
}

// warn/error/fatal/panic lines of a b3scaled log, counted by event key.
std::map<std::string, std::size_t> logEvents(const B3scaledProcess& p) {
    static const std::regex kLine(R"re("level":"(warn|error|fatal|panic)".*?"message":"([^"]*)")re");
    std::map<std::string, std::size_t> counts;
    for (const auto& line : p.stderrLines()) {
        std::smatch m;
        if (std::regex_search(line, m, kLine)) ++counts[m[1].str() + " " + m[2].str()];
    }
    return counts;
}

// The meetingID= a callback carries (the frontend's own id, decoded by b3scaled).
std::string meetingIdParam(const std::string& target) {
    const auto q = target.find('?');
    if (q == std::string::npos) return {};
    std::istringstream query(target.substr(q + 1));
    for (std::string pair; std::getline(query, pair, '&');)
        if (pair.rfind("meetingID=", 0) == 0) return pair.substr(10);
    return {};
}

// A user's join through `port`: the browser kind follows the retry page (create still in
// flight) a few times, as the page itself does every 2 s.
HttpResult joinThrough(int port, const Tenant& tenant, const std::string& id, bool browser) {
    const std::string query =
        "meetingID=" + bbb::formEncode(id) + "&fullName=Final+Check&role=VIEWER" + (browser ? "" : "&redirect=false");
    HttpResult r;
    for (int attempt = 0; attempt < 4; ++attempt) {
        r = httpRequest("GET", "127.0.0.1", port, GatewayCluster::target(tenant.key, tenant.secret, "join", query),
                        seconds(30));
        if (!(browser && r.status == 302 && r.location.rfind("/b3s/retry-join/", 0) == 0)) break;
        std::this_thread::sleep_for(seconds(2));
    }
    return r;
}

TEST(ClusterSoakTest, TwoInstancesKeepEveryMeetingAndCallbackThroughBackendAndPostgresChaos) {
    const auto wall_start = Clock::now();
    const auto duration = soakDuration();
    const auto seed = soakSeed();
    SoakCluster cluster;
    const double setup_s = since(wall_start);

    // --- traffic and chaos -------------------------------------------------------------
    const auto start = Clock::now();
    ChaosState chaos;
    std::vector<bbb::FakeBbbServer*> fakes;
    for (auto& b : cluster.backends) fakes.push_back(b.get());
    ChaosSchedule schedule(fakes, cluster.postgres, chaos, duration);
    OutcomeTally tally(start);
    RateLimiter rate(kRequestsPerSecond);
    std::vector<std::unique_ptr<SoakClient>> clients;
    for (int c = 0; c < kClients; ++c) {
        ClientOptions options;
        options.index = c;
        options.tenant = cluster.tenants[static_cast<std::size_t>(c) % cluster.tenants.size()];
        options.ports = cluster.ports;
        options.receiver = cluster.receiver.url("");
        options.seed = seed * 1000 + static_cast<std::uint64_t>(c);
        clients.push_back(std::make_unique<SoakClient>(options, rate, tally, chaos));
    }

    std::atomic<bool> stop{false};
    std::atomic<bool> chaos_done{false};
    std::array<std::atomic<double>, 2> died_at{-1.0, -1.0};  // seconds into the run; -1: alive
    std::vector<std::string> double_timeline;                // "t=…: n" whenever the count changes
    std::vector<std::thread> threads;
    for (auto& client : clients) threads.emplace_back([&, c = client.get()] { c->run(stop); });
    std::thread chaos_thread([&] {
        schedule.run(start, stop);
        chaos_done = true;
    });
    // During the run: both processes alive (checked twice a second), and how many meetings
    // run on two backends at once.
    std::thread monitor([&] {
        std::size_t last_doubles = 0;
        auto next_sample = Clock::now();
        while (!stop) {
            for (std::size_t i = 0; i < 2; ++i)
                if (died_at[i] < 0 && !cluster.instances[i]->running()) died_at[i] = since(start);
            if (Clock::now() >= next_sample) {
                next_sample += seconds(5);
                if (const auto n = doublyPlaced(cluster); n != last_doubles) {
                    std::ostringstream s;
                    s << std::fixed << std::setprecision(0) << "t=" << since(start) << "s: " << n;
                    double_timeline.push_back(s.str());
                    last_doubles = n;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    });
    while (Clock::now() < start + duration && died_at[0] < 0 && died_at[1] < 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
    for (auto& t : threads) t.join();
    chaos_thread.join();
    monitor.join();
    const double traffic_s = since(start);

    // --- settle: PostgreSQL and every backend back, two poll intervals later -------------
    const auto settle_start = Clock::now();
    for (auto& b : cluster.backends) {
        EXPECT_TRUE(b->isUp());
        EXPECT_EQ(b->fault().mode, bbb::FaultMode::none);
    }
    const bool settled = cluster.waitSettled(seconds(30));
    EXPECT_TRUE(settled) << "PostgreSQL and the backends were back, but b3scaled did not report every backend "
                            "ready within 30 s";
    // Two polls: a stray copy is ended once two polls in a row have seen it.
    std::this_thread::sleep_for(2 * SoakCluster::kPollInterval + std::chrono::milliseconds(500));
    const double settle_s = since(settle_start);

    // --- no lost meeting mapping ----------------------------------------------------------
    const auto forgotten = chaos.forgotten();
    std::size_t checked = 0, reachable = 0, recreated = 0, forgotten_running = 0, end_unknown = 0;
    std::size_t unreachable_n = 0;
    std::vector<std::string> unreachable;  // the first 20
    std::set<std::string> running_paths;   // callback paths of meetings that must not have ended
    for (const auto& client : clients) {
        const auto& tenant = client->tenant();
        for (const auto& m : client->running()) {
            const auto encoded = core::bbb::encodeMeetingId(tenant.key, m.id);
            if (forgotten.contains(encoded)) {
                ++forgotten_running;  // its backend restarted: BBB ended it
                continue;
            }
            if (m.end_unknown) {
                ++end_unknown;  // an end that may have happened after all
                continue;
            }
            running_paths.insert("/ended/" + tenant.key + "/" + m.id);
            running_paths.insert("/gone/" + tenant.key + "/" + m.id);
            const auto before = placements(cluster)[encoded];
            const auto k = checked++ % 2;
            const auto browser = joinThrough(cluster.ports[k], tenant, m.id, true);
            std::optional<std::size_t> on;
            for (std::size_t i = 0; i < cluster.backends.size(); ++i)
                if (browser.status == 302 && browser.location.rfind(cluster.backends[i]->serverUrl() + "/", 0) == 0)
                    on = i;
            const bool browser_ok = on && cluster.backends[*on]->isUp() && cluster.backends[*on]->meeting(encoded);
            const auto api = joinThrough(cluster.ports[1 - k], tenant, m.id, false);
            const bool api_ok = answered(api, "SUCCESS");
            if (browser_ok && api_ok) {
                ++reachable;
                if (std::find(before.begin(), before.end(), *on) == before.end()) ++recreated;
            } else if (++unreachable_n <= 20) {
                unreachable.push_back(tenant.key + "/" + m.id + ": browser join on instance " + std::to_string(k) +
                                      " → HTTP " + std::to_string(browser.status) + " " +
                                      browser.location.substr(0, 60) + ", redirect=false join on instance " +
                                      std::to_string(1 - k) + " → " + api.body.substr(0, 160));
            }
        }
    }

    // --- no double placement --------------------------------------------------------------
    std::map<std::string, std::string> book;  // encoded id → what its client knows of it
    for (const auto& client : clients) {
        for (const auto& m : client->running())
            book[core::bbb::encodeMeetingId(client->tenant().key, m.id)] =
                client->tenant().key + "/" + m.id + (m.end_unknown ? " (end unknown)" : " (running)");
        for (const auto& id : client->ended())
            book[core::bbb::encodeMeetingId(client->tenant().key, id)] = client->tenant().key + "/" + id + " (ended)";
    }
    const auto where = placements(cluster);
    std::vector<std::string> doubles;
    for (const auto& [encoded, on] : where) {
        if (on.size() < 2) continue;
        std::string line = book.contains(encoded) ? book[encoded] : encoded + " (create never acknowledged)";
        line += " on backends";
        for (const auto i : on) line += " " + std::to_string(i);
        doubles.push_back(line);
    }
    // The other face of a second copy: the frontend ended the meeting, its copy elsewhere
    // kept running (and b3scaled may have adopted it since, so the room looks running again).
    std::size_t zombies = 0, zombies_served = 0;
    std::vector<std::string> zombie_list;  // the first 10
    for (const auto& client : clients)
        for (const auto& id : client->ended()) {
            const auto it = where.find(core::bbb::encodeMeetingId(client->tenant().key, id));
            if (it == where.end()) continue;
            ++zombies;
            const auto info = httpRequest("GET", "127.0.0.1", cluster.ports[0],
                                          GatewayCluster::target(client->tenant().key, client->tenant().secret,
                                                                 "getMeetingInfo", "meetingID=" + bbb::formEncode(id)));
            const bool served = answered(info, "SUCCESS");
            zombies_served += served ? 1 : 0;
            if (zombie_list.size() < 10)
                zombie_list.push_back(client->tenant().key + "/" + id + " on backend " + std::to_string(it->second[0]) +
                                      (served ? ", getMeetingInfo SUCCESS through b3scaled" : ""));
        }

    // --- no lost callback -----------------------------------------------------------------
    std::map<std::string, std::string> expected;  // path → the meeting id its end callback names
    for (const auto& client : clients)
        for (const auto& id : client->ended()) {
            expected["/ended/" + client->tenant().key + "/" + id] = id;
            expected["/gone/" + client->tenant().key + "/" + id] = id;
        }
    const auto drain_start = Clock::now();
    std::map<std::string, std::size_t> got;
    std::size_t wrong_id = 0;
    for (;;) {
        got.clear();
        wrong_id = 0;
        for (const auto& r : cluster.receiver.requests()) {
            const auto path = r.target.substr(0, r.target.find('?'));
            ++got[path];
            if (path.rfind("/ended/", 0) == 0 && expected.contains(path) && meetingIdParam(r.target) != expected[path])
                ++wrong_id;
        }
        bool all = true;
        for (const auto& [path, id] : expected) all = all && got[path] > 0;
        if (all || Clock::now() > drain_start + kCallbackDrain) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    const double drain_s = since(drain_start);
    std::size_t missing = 0, duplicated = 0, unasked = 0, for_running = 0;
    std::vector<std::string> missing_list;
    for (const auto& [path, id] : expected) {
        const auto n = got[path];
        if (n == 0 && missing_list.size() < 20) missing_list.push_back(path);
        missing += n == 0 ? 1 : 0;
        duplicated += n > 1 ? 1 : 0;
    }
    for (const auto& [path, n] : got) {
        if (expected.contains(path)) continue;
        ++unasked;  // from an end whose answer the client never saw (a hung backend's)
        if (running_paths.contains(path)) ++for_running;
    }

    // --- no crash: alive to the end, clean exit on SIGTERM --------------------------------
    const bool alive[2] = {cluster.instances[0]->running(), cluster.instances[1]->running()};
    const auto events = std::array{logEvents(*cluster.instances[0]), logEvents(*cluster.instances[1])};
    const auto exit_codes = cluster.terminate();

    // --- summary ---------------------------------------------------------------------------
    std::size_t created = 0, ended = 0, ended_gone = 0, abandoned = 0;
    for (const auto& c : clients) {
        created += c->created();
        ended += c->ended().size();
        ended_gone += c->endedGone();
        abandoned += c->createsAbandoned();
    }
    std::ostringstream out;
    out << std::fixed << std::setprecision(1);
    out << "[ soak ] " << duration.count() << " s of traffic (seed " << seed << "), " << kClients << " clients at ≤ "
        << kRequestsPerSecond << " req/s over 2 b3scaled instances, 4 backends, 3 frontends\n"
        << "[ soak ] wall: setup " << setup_s << " s, traffic " << traffic_s << " s, settle " << settle_s
        << " s, callback drain " << drain_s << " s, total " << since(wall_start) << " s\n"
        << "[ soak ] chaos:\n";
    for (const auto& line : schedule.log()) out << "    " << line << "\n";
    out << "[ soak ] requests: " << tally.total() << " (" << tally.total() / std::max(traffic_s, 1.0)
        << " req/s), unexpected: " << tally.unexpected() << "\n";
    tally.print(out);
    out << "[ soak ] meetings: created " << created << ", ended (acknowledged) " << ended << ", end found them gone "
        << ended_gone << ", creates never acknowledged " << abandoned << "\n"
        << "[ soak ] reachable at the end: " << reachable << " of " << checked << " (re-created by the join "
        << recreated << "); not checked: " << forgotten_running << " forgotten by the backend restart, " << end_unknown
        << " with an unanswered end\n";
    for (const auto& line : unreachable) out << "    unreachable: " << line << "\n";
    out << "[ soak ] on two backends at the end: " << doubles.size() << "; during the run:";
    for (const auto& line : double_timeline) out << " " << line;
    out << "\n";
    for (std::size_t i = 0; i < std::min<std::size_t>(doubles.size(), 20); ++i) out << "    " << doubles[i] << "\n";
    out << "[ soak ] ended by their frontend but still running on a backend: " << zombies << " (b3scaled serves "
        << zombies_served << " of them as running)\n";
    for (const auto& line : zombie_list) out << "    " << line << "\n";
    out << "[ soak ] callbacks: expected " << expected.size() << " (2 per acknowledged end), missing " << missing
        << ", duplicated " << duplicated << ", naming the wrong meeting " << wrong_id
        << ", for ends nobody saw answered " << unasked << " (of them for meetings still running: " << for_running
        << ")\n";
    for (const auto& path : missing_list) out << "    missing: " << path << "\n";
    for (std::size_t i = 0; i < 2; ++i) {
        out << "[ soak ] instance " << i << ": alive " << (alive[i] ? "yes" : "no");
        if (died_at[i] >= 0) out << " (died at t=" << died_at[i] << " s)";
        out << ", exit on SIGTERM " << (exit_codes[i] ? std::to_string(*exit_codes[i]) : "none within 30 s")
            << "; log events:";
        for (const auto& [event, n] : events[i]) out << " " << event << "×" << n;
        out << "\n";
    }
    for (const auto& line : tally.unexpectedSamples()) out << "    unexpected: " << line << "\n";
    // The whole logs, for the post-mortem.
    const auto log_dir = makeTempDir("b3s-soak");
    for (std::size_t i = 0; i < 2; ++i)
        std::ofstream(log_dir / ("b3scaled-" + std::to_string(i) + ".log")) << cluster.instances[i]->stderrText();
    out << "[ soak ] b3scaled logs: " << log_dir.string() << "\n";
    std::cout << out.str() << std::flush;
    RecordProperty("requests", std::to_string(tally.total()));
    RecordProperty("unexpected", std::to_string(tally.unexpected()));
    RecordProperty("reachable", std::to_string(reachable) + "/" + std::to_string(checked));
    RecordProperty("doubly_placed", std::to_string(doubles.size()));
    RecordProperty("ended_but_running", std::to_string(zombies));
    RecordProperty("callbacks_missing", std::to_string(missing));
    RecordProperty("callbacks_duplicated", std::to_string(duplicated));

    // --- the invariants --------------------------------------------------------------------
    // The soak did what it says: every chaos event ran, and there was traffic to judge.
    EXPECT_EQ(schedule.log().size(), schedule.eventCount());
    EXPECT_GT(created, 0u);
    EXPECT_GT(ended, 0u);
    EXPECT_GT(checked, 0u);

    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_TRUE(alive[i] && died_at[i] < 0) << "b3scaled instance " << i << " died:\n"
                                                << cluster.instances[i]->stderrText().substr(0, 4000);
        EXPECT_TRUE(exit_codes[i] && *exit_codes[i] == 0) << "instance " << i << " did not exit cleanly on SIGTERM";
        for (const auto& [event, n] : events[i])
            EXPECT_TRUE(event.rfind("fatal", 0) != 0 && event.rfind("panic", 0) != 0)
                << "instance " << i << " logged " << event;
    }
    EXPECT_EQ(reachable, checked) << "meetings created and not ended that no join reaches any more";
    std::printf("soak: %zu meetings on two backends at once, %zu ended meetings still running\n", doubles.size(),
                zombies);
    if (kStrayCopiesEnded) {
        EXPECT_TRUE(doubles.empty()) << doubles.size() << " meetings run on two backends at once";
        EXPECT_EQ(zombies, 0u) << "meetings their frontend ended still run on a backend";
    }
    EXPECT_EQ(missing, 0u) << "acknowledged ends whose callback never reached the frontend";
    EXPECT_EQ(wrong_id, 0u) << "end callbacks naming another meeting than the frontend's own id";
    EXPECT_EQ(for_running, 0u) << "end callbacks for meetings nobody ended";
    if (kCallbacksDeduplicated) {
        // Exactly one callback per end: holds once delivery is deduplicated (outbox branch).
        EXPECT_EQ(duplicated, 0u) << "callbacks delivered more than once";
    }
    // A meeting the other instance created moments ago is found through the store when this
    // instance's view lacks it (gateway/meeting_lookup): no "not found" for a live meeting.
    EXPECT_EQ(tally.unexpected(), 0u) << "answers no BBB client handles (see the samples above)";
}

}  // namespace
}  // namespace b3s::test::soak
