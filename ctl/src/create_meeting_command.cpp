// create-meeting (cm): a test meeting through a frontend's BBB API, as its application would
#include "commands.hpp"

#include "json_text.hpp"
#include "resource_lookup.hpp"
#include "word_list.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include "bbb/checksum.hpp"
#include "bbb/xml_tree.hpp"

namespace b3s::ctl {

namespace {

void setParam(QueryParams& params, const std::string& name, const std::string& value) {
    for (auto& [n, v] : params)
        if (n == name) {
            v = value;
            return;
        }
    params.emplace_back(name, value);
}

std::string paramValue(const QueryParams& params, const std::string& name) {
    for (const auto& [n, v] : params)
        if (n == name) return v;
    return {};
}

/// A signed BBB call on the frontend's own endpoint (`/bbb/<key>/bigbluebutton/api/<call>`).
HttpReply bbbCall(CtlContext& ctx, const std::string& key, const std::string& secret, const std::string& call,
                  const QueryParams& params) {
    const std::string query = encodeQuery(params);
    const std::string checksum = core::bbb::signQuery(call, query, secret, core::bbb::ChecksumAlgorithm::Sha256);
    return ctx.publicApi().sendPlain("GET", "/bbb/" + percentEncode(key) + "/bigbluebutton/api/" + call + "?" + query +
                                                (query.empty() ? "" : "&") + "checksum=" + checksum);
}

/// "FAILED: <messageKey>: <message>" of a BBB answer, or nullopt when it is SUCCESS.
std::optional<std::string> bbbFailure(const HttpReply& reply) {
    const auto xml = core::bbb::parseXml(reply.body);
    if (!xml) return "b3scaled answered HTTP " + std::to_string(reply.status) + " without a BBB answer";
    if (xml->childText("returncode").value_or("") == "SUCCESS") return std::nullopt;
    return xml->childText("messageKey").value_or("FAILED") + ": " + xml->childText("message").value_or("");
}

int createMeeting(CtlContext& ctx, const Invocation& inv) {
    QueryParams extra;
    for (const auto& param : inv.values("param")) {
        const auto eq = param.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError("invalid param '" + param + "', expected key=value", "create-meeting");
        extra.emplace_back(param.substr(0, eq), param.substr(eq + 1));
    }
    const std::string key = *inv.value("frontend");
    auto& api = ctx.api();
    const auto frontend = requireFrontend(api, key);
    const std::string secret = stringMember(objectMember(frontend, "bbb"), "secret");

    QueryParams params;
    setParam(params, "name", inv.value("name").value_or(randomWords(2, ' ')));
    setParam(params, "meetingID", support::randomToken(23));
    setParam(params, "attendeePW", support::randomToken(12));
    setParam(params, "moderatorPW", support::randomToken(12));
    for (const auto& [name, value] : extra) setParam(params, name, value);
    const std::string name = paramValue(params, "name");
    const std::string meeting_id = paramValue(params, "meetingID");

    ctx.out() << "Creating Meeting: " << name << " ( " << meeting_id << " )\n" << std::flush;
    const HttpReply created = bbbCall(ctx, key, secret, "create", params);
    if (const auto failure = bbbFailure(created)) throw CtlError("create failed: " + *failure);
    const auto created_xml = core::bbb::parseXml(created.body);
    ctx.out() << "Meeting created: " << created_xml->childText("meetingID").value_or(meeting_id) << "\n";

    const std::string user = randomWords(2, ' ');
    ctx.out() << "Joining Meeting as: " << user << "\n" << std::flush;
    const HttpReply joined = bbbCall(ctx, key, secret, "join",
                                     {{"fullName", user},
                                      {"meetingID", meeting_id},
                                      {"role", "MODERATOR"},
                                      {"password", paramValue(params, "moderatorPW")}});
    if (joined.status < 300 || joined.status >= 400 || joined.location.empty()) {
        const auto failure = bbbFailure(joined);
        throw CtlError("join failed: " + failure.value_or("b3scaled answered HTTP " + std::to_string(joined.status)));
    }
    ctx.out() << "Joined Meeting: " << meeting_id << "\n"
              << "URL: " << joined.location << "\n";
    return kExitOk;
}

}  // namespace

CommandSpec createMeetingCommand(CtlContext& ctx) {
    CommandSpec command;
    command.name = "create-meeting";
    command.aliases = {"cm"};
    command.summary = "create a test meeting through a frontend and join it as moderator";
    command.description =
        "Creates a meeting through the frontend's BBB API at <api>/bbb/<key>/, exactly as its\n"
        "application would (signed with the frontend's secret), then joins it as a moderator and\n"
        "prints the join URL. Meeting id and names are random unless given.";
    command.flags = {
        {"frontend", {"fe"}, "KEY", "the frontend to create the meeting with", false, true},
        {"name", {}, "NAME", "the meeting's name (default: two random words)"},
        {"param", {}, "KEY=VALUE", "a BBB create parameter, e.g. --param record=true", true},
    };
    command.action = [&ctx](const Invocation& inv) { return createMeeting(ctx, inv); };
    return command;
}

}  // namespace b3s::ctl
