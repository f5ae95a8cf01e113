#include "soak_outcomes.hpp"

#include "bbb/xml_tree.hpp"

#include <algorithm>
#include <array>
#include <iomanip>
#include <sstream>

namespace b3s::test::soak {
namespace {

// The FAILED keys BBB clients (Greenlight, Moodle …) know how to show: a backend that is
// away or answers late, a meeting that is gone, a meeting whose server is unavailable.
constexpr std::array kKnownFailures = {"internalError", "notFound", "invalidMeetingIdentifier", "serverUnavailable",
                                       "meetingForciblyEnded"};

constexpr std::string_view kGenericInternalError = "An internal error occurred.";

constexpr std::size_t kMaxSamples = 30;

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

Outcome bbbAnswer(const HttpResult& result, bool postgres_down) {
    if (result.content_type.find("text/xml") != 0) return {"HTTP 200 without BBB XML", false};
    const auto xml = core::bbb::parseXml(result.body);
    if (!xml || xml->name != "response") return {"HTTP 200 without BBB XML", false};
    const auto code = xml->childText("returncode").value_or("");
    if (code == "SUCCESS") return {"SUCCESS", true};
    if (code != "FAILED") return {"returncode " + code, false};
    const auto key = xml->childText("messageKey").value_or("");
    const bool known = std::find(kKnownFailures.begin(), kKnownFailures.end(), key) != kKnownFailures.end();
    // internalError covers several causes; the sentence tells them apart for the summary. The
    // generic one is an exception b3scaled did not expect: a finding, unless the database
    // was away.
    if (key == "internalError") {
        const auto message = xml->childText("message").value_or("");
        return {"FAILED internalError (" + message + ")", message != kGenericInternalError || postgres_down};
    }
    return {"FAILED " + key, known};
}

}  // namespace

Outcome classify(std::string_view call, bool browser, const HttpResult& result, bool postgres_down) {
    if (result.status == 0) return {"no answer (" + result.error + ")", false};
    if (call == "join" && browser) {
        if (result.status == 302 && result.location.find("/bigbluebutton/api/join?") != std::string::npos)
            return {"redirect to a backend", true};
        if (result.status == 302 && startsWith(result.location, "/b3s/retry-join/")) return {"retry page", true};
        if (result.status == 302) return {"redirect elsewhere", false};
        if (result.status == 404 && result.content_type.find("text/html") == 0) return {"meeting-not-found page", true};
        if (result.status == 503 && result.content_type.find("text/html") == 0)
            return {"server-unavailable page", true};
    }
    if (result.status == 200) return bbbAnswer(result, postgres_down);
    if (result.status == 503) return {"HTTP 503", postgres_down};
    return {"HTTP " + std::to_string(result.status), false};
}

void OutcomeTally::record(const std::string& call, const Outcome& outcome, const std::string& phase, int instance,
                          const HttpResult& result, const std::string& what) {
    std::lock_guard lock(mutex_);
    auto& count = counts_[{call, outcome.kind}];
    ++count.n;
    count.expected = outcome.expected;
    ++count.by_phase[phase];
    ++total_;
    if (outcome.expected) return;
    ++unexpected_;
    if (samples_.size() >= kMaxSamples) return;
    const auto t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::ostringstream line;
    line << std::fixed << std::setprecision(1) << "t=" << t << "s instance " << instance << " [" << phase << "] "
         << call << " " << what << ": " << outcome.kind << " (HTTP " << result.status;
    if (!result.location.empty()) line << ", Location " << result.location.substr(0, 80);
    // One line per sample: a page by its title, an XML answer from its start.
    std::string body = result.body.substr(0, 200);
    if (const auto t = result.body.find("<title>"); t != std::string::npos)
        body = result.body.substr(t, result.body.find("</title>", t) + 8 - t);
    std::replace(body.begin(), body.end(), '\n', ' ');
    line << ") " << body;
    samples_.push_back(line.str());
}

std::size_t OutcomeTally::total() const {
    std::lock_guard lock(mutex_);
    return total_;
}

std::size_t OutcomeTally::unexpected() const {
    std::lock_guard lock(mutex_);
    return unexpected_;
}

std::vector<std::string> OutcomeTally::unexpectedSamples() const {
    std::lock_guard lock(mutex_);
    return samples_;
}

void OutcomeTally::print(std::ostream& out) const {
    std::lock_guard lock(mutex_);
    for (const auto& [key, count] : counts_) {
        out << "  " << std::left << std::setw(17) << key.first << std::setw(64) << key.second << std::right
            << std::setw(6) << count.n << (count.expected ? "" : "  UNEXPECTED") << "  {";
        bool first = true;
        for (const auto& [phase, n] : count.by_phase) {
            out << (first ? "" : ", ") << phase << ": " << n;
            first = false;
        }
        out << "}\n";
    }
}

}  // namespace b3s::test::soak
