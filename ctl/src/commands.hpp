#pragma once
// The command groups of b3scalectl, one file each. Every builder returns the group's part of
// the command tree with actions bound to `ctx` (which must outlive the tree).

#include "command_line.hpp"
#include "ctl_context.hpp"

namespace b3s::ctl {

CommandSpec showCommand(CtlContext& ctx);           ///< show_commands.cpp
CommandSpec setCommand(CtlContext& ctx);            ///< set_commands.cpp
CommandSpec deleteCommand(CtlContext& ctx);         ///< delete_commands.cpp
CommandSpec enableCommand(CtlContext& ctx);         ///< admin_state_commands.cpp
CommandSpec disableCommand(CtlContext& ctx);        ///< admin_state_commands.cpp
CommandSpec endCommand(CtlContext& ctx);            ///< end_commands.cpp
CommandSpec retryCommand(CtlContext& ctx);          ///< retry_commands.cpp
CommandSpec createMeetingCommand(CtlContext& ctx);  ///< create_meeting_command.cpp
CommandSpec dbCommand(CtlContext& ctx);             ///< db_commands.cpp
CommandSpec recordingsCommand(CtlContext& ctx);     ///< recordings_commands.cpp
CommandSpec importCommand(CtlContext& ctx);         ///< import_commands.cpp
CommandSpec authCommand(CtlContext& ctx);           ///< auth_commands.cpp
CommandSpec versionCommand(CtlContext& ctx);        ///< info_commands.cpp
CommandSpec exportOpenApiCommand(CtlContext& ctx);  ///< info_commands.cpp

/// Status of the API (the root command without a sub-command). info_commands.cpp
int showStatus(CtlContext& ctx);

/// Prints `body` for --json: the API's JSON, re-indented. show_commands.cpp
void printJson(CtlContext& ctx, const std::string& body);

}  // namespace b3s::ctl
