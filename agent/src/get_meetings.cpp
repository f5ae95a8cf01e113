#include "get_meetings.hpp"

#include "bbb/checksum.hpp"
#include "bbb/xml_tree.hpp"

namespace b3s::agent {

std::string getMeetingsUrl(const std::string& api_url, const std::string& secret) {
    return api_url + "getMeetings?checksum=" +
           core::bbb::signQuery("getMeetings", "", secret, core::bbb::ChecksumAlgorithm::Sha256);
}

std::optional<MeetingSnapshot> parseGetMeetings(std::string_view xml, std::string& error) {
    const auto root = core::bbb::parseXml(xml);
    if (!root || root->name != "response") {
        error = "the answer is not BBB's XML";
        return std::nullopt;
    }
    if (root->childText("returncode") != "SUCCESS") {
        error = "BBB answered " + root->childText("returncode").value_or("?") + " (" +
                root->childText("messageKey").value_or("") + ")";
        return std::nullopt;
    }
    MeetingSnapshot snapshot;
    const auto* meetings = root->child("meetings");
    if (!meetings) return snapshot;  // noMeetings
    for (const auto* meeting : meetings->childrenNamed("meeting")) {
        const auto id = meeting->childText("internalMeetingID").value_or("");
        if (id.empty()) continue;
        auto& users = snapshot.meetings[id];
        if (const auto* attendees = meeting->child("attendees"))
            for (const auto* attendee : attendees->childrenNamed("attendee"))
                if (auto user = attendee->childText("userID"); user && !user->empty()) users.insert(*user);
    }
    return snapshot;
}

}  // namespace b3s::agent
