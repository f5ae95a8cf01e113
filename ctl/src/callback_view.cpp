#include "callback_view.hpp"

#include "json_text.hpp"
#include "text_table.hpp"

#include "util/url_redaction.hpp"

#include <fmt/format.h>

namespace b3s::ctl {

void writeCallbackTable(std::ostream& out, const Poco::JSON::Array::Ptr& callbacks, WallClock::time_point now) {
    if (!callbacks || callbacks->size() == 0) {
        out << "no callbacks\n";
        return;
    }
    using A = TextTable::Align;
    TextTable table({{"ID"}, {"FRONTEND"}, {"STATE"}, {"URL"}, {"ATTEMPTS", A::Right}, {"LAST ERROR"}, {"AGE"}});
    for (std::size_t i = 0; i < callbacks->size(); ++i) {
        const auto callback = callbacks->getObject(static_cast<unsigned>(i));
        if (!callback) continue;
        const auto created = optionalStringMember(callback, "created_at");
        // b3scaled redacts already; an older server or a proxy in between might not.
        table.addRow({stringMember(callback, "id"), stringMember(callback, "frontend_key", "-"),
                      stringMember(callback, "state"), shorten(core::redactUserinfo(stringMember(callback, "url")), 60),
                      fmt::format("{}", static_cast<long long>(numberMember(callback, "attempts"))),
                      shorten(core::redactUserinfo(optionalStringMember(callback, "last_error").value_or("-")), 60),
                      formatAge(created ? parseTimestamp(*created) : std::nullopt, now, "-")});
    }
    table.write(out);
}

}  // namespace b3s::ctl
