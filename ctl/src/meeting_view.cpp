#include "meeting_view.hpp"

#include "json_text.hpp"
#include "text_table.hpp"

#include <fmt/format.h>

namespace b3s::ctl {

void writeMeetingTable(std::ostream& out, const Poco::JSON::Array::Ptr& meetings,
                       const std::map<std::string, std::string>& backend_hosts, WallClock::time_point now) {
    if (!meetings || meetings->size() == 0) {
        out << "no meetings\n";
        return;
    }
    using A = TextTable::Align;
    TextTable table({{"FRONTEND"}, {"MEETING ID"}, {"NAME"}, {"BACKEND"}, {"ATTENDEES", A::Right}, {"CREATED"}});
    for (std::size_t i = 0; i < meetings->size(); ++i) {
        const auto meeting = meetings->getObject(static_cast<unsigned>(i));
        if (!meeting) continue;
        const auto info = objectMember(meeting, "meeting");
        const auto backend_id = optionalStringMember(meeting, "backend_id");
        std::string backend = "-";
        if (backend_id) {
            const auto it = backend_hosts.find(*backend_id);
            backend = it != backend_hosts.end() ? it->second : *backend_id;
        }
        // A meeting lost with an offline backend waits to be re-created on its next join.
        if (optionalStringMember(meeting, "lost_at")) backend = "lost (" + backend + ")";
        std::string attendees = "-";
        if (info && info->has("ParticipantCount"))
            attendees = fmt::format("{}", static_cast<long long>(numberMember(info, "ParticipantCount")));
        const auto created = optionalStringMember(meeting, "created_at");
        table.addRow({stringMember(meeting, "frontend_key", "-"),
                      shorten(stringMember(meeting, "meeting_id", stringMember(meeting, "id")), 60),
                      shorten(stringMember(info, "MeetingName"), 40), backend, attendees,
                      formatAge(created ? parseTimestamp(*created) : std::nullopt, now, "-")});
    }
    table.write(out);
}

}  // namespace b3s::ctl
