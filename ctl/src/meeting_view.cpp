#include "meeting_view.hpp"

#include "json_text.hpp"
#include "text_table.hpp"

#include <fmt/format.h>

namespace b3s::ctl {

namespace {

struct MeetingRow {
    std::string frontend, meeting_id, name, backend, attendees, created;
};

}  // namespace

void writeMeetingTable(std::ostream& out, const Poco::JSON::Array::Ptr& meetings,
                       const std::map<std::string, std::string>& backend_hosts, WallClock::time_point now) {
    if (!meetings || meetings->size() == 0) {
        out << "no meetings\n";
        return;
    }
    std::vector<MeetingRow> rows;
    bool any_name = false;
    bool any_attendees = false;
    for (std::size_t i = 0; i < meetings->size(); ++i) {
        const auto meeting = meetings->getObject(static_cast<unsigned>(i));
        if (!meeting) continue;
        const auto info = objectMember(meeting, "meeting");
        MeetingRow row;
        row.frontend = stringMember(meeting, "frontend_key", "-");
        row.meeting_id = shorten(stringMember(meeting, "meeting_id", stringMember(meeting, "id")), 60);
        row.name = shorten(stringMember(info, "MeetingName"), 40);
        any_name = any_name || !row.name.empty();
        row.backend = "-";
        if (const auto backend_id = optionalStringMember(meeting, "backend_id")) {
            const auto it = backend_hosts.find(*backend_id);
            row.backend = it != backend_hosts.end() ? it->second : *backend_id;
        }
        // A meeting lost with an offline backend waits to be re-created on its next join.
        if (optionalStringMember(meeting, "lost_at")) row.backend = "lost (" + row.backend + ")";
        row.attendees = "-";
        if (info && info->has("ParticipantCount")) {
            row.attendees = fmt::format("{}", static_cast<long long>(numberMember(info, "ParticipantCount")));
            any_attendees = true;
        }
        const auto created = optionalStringMember(meeting, "created_at");
        row.created = formatAge(created ? parseTimestamp(*created) : std::nullopt, now, "-");
        rows.push_back(std::move(row));
    }
    // Name and attendees are shown when the server knows them (they come from BBB's own
    // meeting info); a column of blanks would only take room.
    using A = TextTable::Align;
    std::vector<TextTable::Column> columns = {{"FRONTEND"}, {"MEETING ID"}};
    if (any_name) columns.push_back({"NAME"});
    columns.push_back({"BACKEND"});
    if (any_attendees) columns.push_back({"ATTENDEES", A::Right});
    columns.push_back({"CREATED"});
    TextTable table(std::move(columns));
    for (auto& row : rows) {
        std::vector<std::string> cells = {row.frontend, row.meeting_id};
        if (any_name) cells.push_back(row.name);
        cells.push_back(row.backend);
        if (any_attendees) cells.push_back(row.attendees);
        cells.push_back(row.created);
        table.addRow(std::move(cells));
    }
    table.write(out);
}

}  // namespace b3s::ctl
