#include "cluster/cluster_metrics.hpp"

#include "cluster/placement_candidates.hpp"
#include "metrics/core_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

namespace b3s::core::cluster {
namespace {

using b3s::plugin::CollectedFamily;

CollectedFamily gauge(std::string name, std::string help, std::vector<std::string> labels) {
    CollectedFamily f;
    f.spec = {std::move(name), std::move(help), std::move(labels), {}};
    return f;
}

constexpr const char* kNodeStates[] = {"init", "ready", "unstable", "offline"};
constexpr const char* kAdminStates[] = {"init", "ready", "stopped", "decommissioned"};

}  // namespace

ClusterMetrics::ClusterMetrics(const ClusterState& cluster, const Attendance& attendance, const PollFigures& figures,
                               const BackendLoads& loads, const store::Store& store, const Clock& clock,
                               bool per_meeting)
    : cluster_(cluster),
      attendance_(attendance),
      figures_(figures),
      loads_(loads),
      store_(store),
      clock_(clock),
      per_meeting_(per_meeting) {}

void ClusterMetrics::collect(std::vector<CollectedFamily>& out) const {
    const auto snapshot = cluster_.snapshot();
    const auto now_us = clock_.nowMicros();
    const auto polled = figures_.meetings();

    auto meeting_attendees = gauge("b3scale_meeting_attendees", "Number of attendees in the cluster",
                                   {"frontend", "backend", "type", "meeting"});
    auto durations =
        gauge("b3scale_meeting_durations", "Duration of meetings in the cluster", {"frontend", "backend", "meeting"});
    auto frontend_meetings = gauge("b3scale_frontend_meetings", "Number of meetings per frontend", {"frontend"});
    auto backend_meetings = gauge("b3scale_backend_meetings", "Number of meetings per backend", {"backend"});
    auto frontend_attendees = gauge("b3scale_frontend_attendees", "Number of attendees per frontend", {"frontend"});
    auto lost = gauge("b3scale_lost_meetings",
                      "Meetings whose backend went offline, waiting to be re-created on their next create or join", {});

    // Each backend's label once, not once per meeting on it.
    const auto& backends = snapshot->backends();
    std::unordered_map<std::string, std::string> label_of;  // backend id → host[:port]
    label_of.reserve(backends.size());
    for (const auto& b : backends) label_of.emplace(b->id, metrics::backendLabel(b->host));

    // Per frontend, every frontend (a frontend without meetings shows 0, not nothing).
    std::map<std::string, std::pair<int, int>> per_frontend;  // key → meetings, attendees
    for (const auto& f : snapshot->frontends()) per_frontend[f->key];
    int lost_count = 0;
    snapshot->forEachMeeting([&](const store::Meeting& m) {
        const auto frontend = snapshot->frontend(m.frontend_id);
        const std::string frontend_key = frontend ? frontend->key : "undefined";
        const auto label = m.backend_id ? label_of.find(*m.backend_id) : label_of.end();
        const std::string backend_host = label != label_of.end() ? label->second : "undefined";
        if (m.lost_at) ++lost_count;
        const auto it = polled.find(m.id);
        const MeetingFigures f = it == polled.end() ? MeetingFigures{} : it->second;
        auto& totals = per_frontend[frontend_key];
        ++totals.first;
        totals.second += f.participants;
        if (!per_meeting_) return;
        const int video = std::min(f.video, f.participants);
        meeting_attendees.samples.push_back(
            {{frontend_key, backend_host, "audio", m.id}, double(f.participants - video)});
        meeting_attendees.samples.push_back({{frontend_key, backend_host, "video", m.id}, double(video)});
        if (f.running) {
            const auto started_us = f.start_time_ms > 0 ? f.start_time_ms * 1000 : m.created_at;
            durations.samples.push_back(
                {{frontend_key, backend_host, m.id}, std::max(0.0, double(now_us - started_us) / 1e6)});
        }
    });
    for (const auto& [key, totals] : per_frontend) {
        frontend_meetings.samples.push_back({{key}, double(totals.first)});
        frontend_attendees.samples.push_back({{key}, double(totals.second)});
    }
    lost.samples.push_back({{}, double(lost_count)});

    auto health = gauge("b3scale_backend_health",
                        "Health of a backend from b3scaled's own polls: 1 for its current state", {"backend", "state"});
    auto admin = gauge("b3scale_backend_admin_state", "Administrative state of a backend: 1 for its current state",
                       {"backend", "state"});
    auto latency = gauge("b3scale_backend_poll_latency_seconds", "Time the last poll of a backend took", {"backend"});
    auto age = gauge("b3scale_backend_last_poll_age_seconds",
                     "Seconds since a backend last answered a poll (absent before its first answer)", {"backend"});
    auto heartbeat =
        gauge("b3scale_backend_agent_heartbeat_age_seconds",
              "Seconds since the node agent of a backend last sent a heartbeat (backends with an agent)", {"backend"});
    auto agent_cpu =
        gauge("b3scale_backend_agent_cpu_ratio",
              "Share of all cores busy on a backend's host, as its node agent last reported it", {"backend"});
    auto agent_memory =
        gauge("b3scale_backend_agent_memory_ratio",
              "Share of the memory in use on a backend's host, as its node agent last reported it", {"backend"});
    auto attendees = gauge("b3scale_backend_attendees",
                           "Attendees on a backend: its last poll plus the joins redirected there since", {"backend"});
    auto load_factor = gauge("b3scale_backend_load_factor", "Load factor an operator gave a backend", {"backend"});
    auto load =
        gauge("b3scale_backend_load",
              "Load of a backend as the balancer plugin weighs it (the figure it places new meetings by)", {"backend"});
    const auto loads = loads_.of(*snapshot);
    for (const auto& b : backends) {
        const auto& host = label_of.at(b->id);
        for (const auto* state : kNodeStates)
            health.samples.push_back({{host, state}, b->node_state == state ? 1.0 : 0.0});
        const std::string admin_state = store::toString(b->admin_state);
        for (const auto* state : kAdminStates)
            admin.samples.push_back({{host, state}, admin_state == state ? 1.0 : 0.0});
        latency.samples.push_back({{host}, double(b->latency) / 1e6});
        if (b->synced_at > 0) age.samples.push_back({{host}, std::max(0.0, double(now_us - b->synced_at) / 1e6)});
        if (b->agent_ref && b->agent_heartbeat)
            heartbeat.samples.push_back({{host}, std::max(0.0, double(now_us - *b->agent_heartbeat) / 1e6)});
        // Only figures the balancer would still see: a silent agent's last report is history.
        if (b->agent_report && now_us - b->agent_report->at <= kHostFiguresMaxAgeUs) {
            if (b->agent_report->cpu) agent_cpu.samples.push_back({{host}, *b->agent_report->cpu});
            if (b->agent_report->memory) agent_memory.samples.push_back({{host}, *b->agent_report->memory});
        }
        const auto placed = snapshot->meetingsOnBackend(b->id).size();
        const int people = attendance_.backendAttendees(*b);
        attendees.samples.push_back({{host}, double(people)});
        load_factor.samples.push_back({{host}, b->load_factor});
        if (const auto it = loads.find(b->id); it != loads.end() && std::isfinite(it->second))
            load.samples.push_back({{host}, it->second});
        backend_meetings.samples.push_back({{host}, double(placed)});
    }

    const auto pool = store_.poolStats();
    auto connections =
        gauge("b3scale_db_pool_connections", "Database connections of this instance by state", {"state"});
    connections.samples.push_back({{"in_use"}, double(pool.open - pool.idle)});
    connections.samples.push_back({{"idle"}, double(pool.idle)});
    auto stale = gauge("b3scale_cluster_view_stale",
                       "1 while this instance's in-memory view may have missed a change (it reloads)", {});
    stale.samples.push_back({{}, cluster_.stale() ? 1.0 : 0.0});

    for (auto* f : {&meeting_attendees, &durations, &frontend_meetings, &backend_meetings, &frontend_attendees, &lost,
                    &health, &admin, &latency, &age, &heartbeat, &agent_cpu, &agent_memory, &attendees, &load_factor,
                    &load, &connections, &stale})
        out.push_back(std::move(*f));
}

}  // namespace b3s::core::cluster
