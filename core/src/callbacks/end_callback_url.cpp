#include "callbacks/end_callback_url.hpp"

#include "bbb/backend_url.hpp"
#include "bbb/meeting_id_codec.hpp"
#include "bbb/query_string.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace b3s::core::callbacks {
namespace {

constexpr std::string_view kMeetingIdParams[] = {"meetingID", "meeting_id", "meetingId", "meetingid"};
constexpr std::size_t kMaxOwnQueryBytes = 16 * 1024;

bool httpUrl(std::string_view url) {
    try {
        const Poco::URI uri{std::string(url)};
        return (uri.getScheme() == "http" || uri.getScheme() == "https") && !uri.getHost().empty();
    } catch (const Poco::Exception&) {
        return false;
    }
}

void appendParam(std::string& query, std::string_view name, std::string_view value) {
    if (!query.empty()) query.push_back('&');
    bbb::appendFormEscaped(query, name);
    query.push_back('=');
    bbb::appendFormEscaped(query, value);
}

}  // namespace

EndCallbackUrl endCallbackUrl(std::string_view target_url, const bbb::ParamList& incoming,
                              std::string_view bound_meeting) {
    EndCallbackUrl out;
    for (const auto name : kMeetingIdParams)
        if (const auto* value = incoming.find(name); value && *value != bound_meeting) {
            out.outcome = EndCallbackUrl::Outcome::WrongMeeting;
            return out;
        }
    if (!httpUrl(target_url)) return out;

    // The URL is kept byte for byte; the additions go at the end of its query.
    const auto hash = target_url.find('#');
    const auto base = target_url.substr(0, hash);
    const auto fragment = hash == std::string_view::npos ? std::string_view() : target_url.substr(hash);
    const auto question = base.find('?');
    const auto own_raw = question == std::string_view::npos ? std::string_view() : base.substr(question + 1);
    const auto own = bbb::parseQuery(own_raw, kMaxOwnQueryBytes);

    std::string added;
    // An own query we cannot read may already name them: then it wins, nothing is added.
    if (own.ok()) {
        if (incoming.contains("meetingID") && !own.query.params.contains("meetingID")) {
            const auto decoded = bbb::decodeMeetingId(bound_meeting);
            appendParam(added, "meetingID", decoded ? *decoded : std::string(bound_meeting));
        }
        if (const auto* marks = incoming.find("recordingmarks");
            marks && (*marks == "true" || *marks == "false") && !own.query.params.contains("recordingmarks"))
            appendParam(added, "recordingmarks", *marks);
    }

    out.outcome = EndCallbackUrl::Outcome::Deliver;
    out.url.assign(base);
    if (!added.empty()) {
        if (question == std::string_view::npos)
            out.url.push_back('?');
        else if (!own_raw.empty() && !own_raw.ends_with('&'))
            out.url.push_back('&');
        out.url.append(added);
    }
    out.url.append(fragment);
    return out;
}

}  // namespace b3s::core::callbacks
