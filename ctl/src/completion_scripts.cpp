#include "completion_scripts.hpp"

namespace b3s::ctl {

std::string bashCompletionScript() {
    // Words are split from the line itself, not COMP_WORDS: bash splits URLs at ':'.
    return R"BASH(# bash completion for b3scalectl: eval "$(b3scalectl completions bash)"
_b3scalectl_complete() {
    local line="${COMP_LINE:0:COMP_POINT}"
    local -a words
    read -r -a words <<< "$line"
    local cur=""
    if [[ "$line" != *[[:space:]] && ${#words[@]} -gt 0 ]]; then
        cur="${words[${#words[@]}-1]}"
        unset 'words[${#words[@]}-1]'
    fi
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$("${words[0]}" __complete "${words[@]:1}" -- "$cur" 2>/dev/null)" -- "$cur"))
    if [[ "$cur" == *:* && "$COMP_WORDBREAKS" == *:* ]]; then
        local prefix="${cur%"${cur##*:}"}"
        local i
        for i in "${!COMPREPLY[@]}"; do COMPREPLY[$i]="${COMPREPLY[$i]#"$prefix"}"; done
    fi
}
complete -o default -F _b3scalectl_complete b3scalectl
)BASH";
}

std::string zshCompletionScript() {
    return R"ZSH(# zsh completion for b3scalectl: eval "$(b3scalectl completions zsh)" (after compinit)
_b3scalectl_complete() {
    local -a candidates
    candidates=("${(@f)$(${words[1]} __complete "${(@)words[2,CURRENT-1]}" -- "${words[CURRENT]}" 2>/dev/null)}")
    compadd -Q -- ${candidates:#}
}
compdef _b3scalectl_complete b3scalectl
)ZSH";
}

}  // namespace b3s::ctl
