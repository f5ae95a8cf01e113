#include "soak_client.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "bbb/xml_tree.hpp"
#include "fake_bbb/sign_query.hpp"

namespace b3s::test::soak {
namespace {

// A frontend waits this long for b3scaled; b3scaled itself gives up on a backend much
// sooner (B3SCALE_BACKEND_RESPONSE_TIMEOUT_MS), so running into it is a finding.
constexpr auto kClientTimeout = std::chrono::seconds(30);
// A create that failed without saying why is repeated (the user presses "start" again).
constexpr int kCreateAttempts = 3;

std::string text(const HttpResult& r, const std::string& name) {
    const auto xml = core::bbb::parseXml(r.body);
    return xml ? xml->childText(name).value_or("") : "";
}

bool succeeded(const HttpResult& r) {
    return r.status == 200 && text(r, "returncode") == "SUCCESS";
}

// The create may have happened (a timeout, an unreachable backend that got it anyway).
bool createUncertain(const Outcome& o) {
    return o.kind.rfind("FAILED internalError", 0) == 0 || o.kind.rfind("no answer", 0) == 0;
}

}  // namespace

SoakClient::SoakClient(ClientOptions options, RateLimiter& rate, OutcomeTally& tally, const ChaosState& chaos)
    : options_(std::move(options)), rate_(rate), tally_(tally), chaos_(chaos), rng_(options_.seed) {}

HttpResult SoakClient::send(const std::string& call, const std::string& query, int& instance, bool& postgres_down) {
    rate_.acquire();
    instance = static_cast<int>(turn_++ % 2);
    const auto target = "/bbb/" + options_.tenant.key + "/bigbluebutton/api/" + call + "?" +
                        bbb::signQuery(call, query, options_.tenant.secret, bbb::ChecksumAlgorithm::sha256);
    postgres_down = chaos_.postgresDown();
    phase_ = chaos_.phase();
    auto r =
        httpRequest("GET", "127.0.0.1", options_.ports[static_cast<std::size_t>(instance)], target, kClientTimeout);
    postgres_down = postgres_down || chaos_.postgresDown();
    return r;
}

void SoakClient::record(const std::string& call, bool browser, const HttpResult& r, int instance, bool postgres_down,
                        const std::string& what, Outcome* out, std::string_view broken) {
    Outcome outcome = classify(call, browser, r, postgres_down);
    // An answer that looks fine but is wrong (another meeting, another tenant's meeting).
    if (!broken.empty()) outcome = {std::string(broken), false};
    tally_.record(browser ? call + " (browser)" : call, outcome, phase_, instance, r, what);
    if (out) *out = outcome;
}

void SoakClient::run(const std::atomic<bool>& stop) {
    std::uniform_int_distribution<int> percent(0, 99);
    while (!stop) {
        if (!pending_.empty() && percent(rng_) < 30) {
            auto p = pending_.front();
            pending_.erase(pending_.begin());
            create(p.id, p.attempts);
            continue;
        }
        const int roll = percent(rng_);
        if (running_.empty()) {
            createNew();
        } else if (roll < 20) {
            if (running_.size() < options_.max_live)
                createNew();
            else
                end();
        } else if (roll < 35) {
            end();
        } else if (roll < 50) {
            join(true);
        } else if (roll < 62) {
            join(false);
        } else if (roll < 68) {
            getMeetings();
        } else if (roll < 84) {
            ask("getMeetingInfo");
        } else {
            ask("isMeetingRunning");
        }
    }
}

std::size_t SoakClient::pickRunning() {
    return std::uniform_int_distribution<std::size_t>(0, running_.size() - 1)(rng_);
}

void SoakClient::createNew() {
    create(options_.tenant.key + "-c" + std::to_string(options_.index) + "-" + std::to_string(next_meeting_++), 0);
}

void SoakClient::create(std::string id, int attempts) {
    const auto query =
        bbb::buildQuery({{"meetingID", id},
                         {"name", "Soak " + id},
                         {"record", "false"},
                         {"meta_endCallbackUrl", options_.receiver + "/ended/" + options_.tenant.key + "/" + id},
                         {"meetingEndedURL", options_.receiver + "/gone/" + options_.tenant.key + "/" + id}});
    int instance = 0;
    bool pg_down = false;
    const auto r = send("create", query, instance, pg_down);
    const bool ok = succeeded(r);
    Outcome outcome;
    record("create", false, r, instance, pg_down, "meetingID=" + id, &outcome,
           ok && text(r, "meetingID") != id ? "SUCCESS naming another meeting" : "");
    if (ok) {
        ++created_;
        running_.push_back({std::move(id), false});
    } else if (createUncertain(outcome) && attempts + 1 < kCreateAttempts) {
        pending_.push_back({std::move(id), attempts + 1});
    } else if (createUncertain(outcome)) {
        abandoned_.push_back(std::move(id));
    }
}

void SoakClient::join(bool browser) {
    const auto& m = running_[pickRunning()];
    std::string query =
        "meetingID=" + bbb::formEncode(m.id) + "&fullName=Soak+User&role=" + (rng_() % 2 ? "VIEWER" : "MODERATOR");
    if (!browser) query += "&redirect=false";
    int instance = 0;
    bool pg_down = false;
    const auto r = send("join", query, instance, pg_down);
    // A meeting this client created and never ended is unknown to b3scaled only when its
    // backend restarted without it; otherwise its mapping was lost. (join's meeting_id is
    // BBB's internal id: nothing to compare it with.)
    const bool unknown =
        (browser && r.status == 404) || (!browser && text(r, "messageKey") == "invalidMeetingIdentifier");
    std::string verdict;
    if (unknown && !m.end_unknown)
        verdict = chaos_.wasForgotten(core::bbb::encodeMeetingId(options_.tenant.key, m.id))
                      ? ""
                      : (browser ? "not-found page" : "FAILED invalidMeetingIdentifier") +
                            std::string(" for a meeting created and never ended");
    record("join", browser, r, instance, pg_down, "meetingID=" + m.id, nullptr, verdict);
}

void SoakClient::end() {
    const auto i = pickRunning();
    const auto id = running_[i].id;
    int instance = 0;
    bool pg_down = false;
    const auto r = send("end", "meetingID=" + bbb::formEncode(id), instance, pg_down);
    record("end", false, r, instance, pg_down, "meetingID=" + id);
    const auto key = text(r, "messageKey");
    if (succeeded(r)) {
        ended_.push_back(id);
        running_.erase(running_.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (r.status == 200 && key == "notFound") {
        ++ended_gone_;
        running_.erase(running_.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
        running_[i].end_unknown = true;
    }
}

void SoakClient::getMeetings() {
    int instance = 0;
    bool pg_down = false;
    const auto r = send("getMeetings", "", instance, pg_down);
    // Tenancy under chaos: only this frontend's meetings, with its own ids.
    std::string foreign;
    if (const auto xml = core::bbb::parseXml(r.body); xml && succeeded(r)) {
        if (const auto* meetings = xml->child("meetings"))
            for (const auto* m : meetings->childrenNamed("meeting")) {
                const auto id = m->childText("meetingID").value_or("");
                if (id.rfind(options_.tenant.key + "-", 0) != 0) foreign = id;
            }
    }
    record("getMeetings", false, r, instance, pg_down, foreign.empty() ? "" : "lists " + foreign, nullptr,
           foreign.empty() ? "" : "SUCCESS listing a meeting that is not the tenant's");
}

void SoakClient::ask(const std::string& call) {
    const auto& m = running_[pickRunning()];
    int instance = 0;
    bool pg_down = false;
    const auto r = send(call, "meetingID=" + bbb::formEncode(m.id), instance, pg_down);
    record(call, false, r, instance, pg_down, "meetingID=" + m.id, nullptr,
           call == "getMeetingInfo" && succeeded(r) && text(r, "meetingID") != m.id ? "SUCCESS naming another meeting"
                                                                                    : "");
}

}  // namespace b3s::test::soak
