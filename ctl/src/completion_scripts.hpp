#pragma once
// Shell completion for b3scalectl: `eval "$(b3scalectl completions bash)"` (or zsh). The
// scripts ask the binary itself (`b3scalectl __complete <words>…`) for candidates: commands,
// flags, and — with a usable token — backend hosts and frontend keys from the API.

#include <string>

namespace b3s::ctl {

std::string bashCompletionScript();
std::string zshCompletionScript();

}  // namespace b3s::ctl
