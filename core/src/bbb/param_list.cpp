#include "bbb/param_list.hpp"

#include <algorithm>
#include <numeric>

namespace b3s::core::bbb {

namespace {

// Below this size the quadratic scan is cheaper than sorting an index.
constexpr std::size_t kLinearDedupeLimit = 32;

}  // namespace

ParamList ParamList::fromEntries(std::vector<Param> entries, std::vector<std::string>* repeated) {
    ParamList list;
    const std::size_t n = entries.size();
    std::vector<bool> drop;
    bool anyDropped = false;
    if (n <= kLinearDedupeLimit) {
        // The common case has no repeats: find the first one before allocating anything.
        for (std::size_t i = 1; i < n && !anyDropped; ++i) {
            for (std::size_t j = 0; j < i; ++j) {
                if (entries[j].name == entries[i].name) {
                    anyDropped = true;
                    break;
                }
            }
        }
        if (anyDropped) {
            drop.assign(n, false);
            for (std::size_t i = 1; i < n; ++i) {
                for (std::size_t j = 0; j < i; ++j) {
                    if (!drop[j] && entries[j].name == entries[i].name) {
                        drop[i] = true;
                        break;
                    }
                }
            }
        }
    } else {
        drop.assign(n, false);
        std::vector<std::size_t> order(n);
        std::iota(order.begin(), order.end(), std::size_t{0});
        // Stable sort by name: within one name the first occurrence comes first.
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return entries[a].name < entries[b].name; });
        for (std::size_t k = 1; k < n; ++k) {
            if (entries[order[k]].name == entries[order[k - 1]].name) {
                drop[order[k]] = true;
                anyDropped = true;
            }
        }
    }
    if (!anyDropped) {
        list.entries_ = std::move(entries);
        return list;
    }
    if (repeated != nullptr) {
        // A name is reported at the position of its first occurrence: walk the kept entries
        // and report those whose name was dropped somewhere later.
        std::vector<std::string_view> droppedNames;
        for (std::size_t i = 0; i < n; ++i) {
            if (drop[i]) droppedNames.push_back(entries[i].name);
        }
        std::sort(droppedNames.begin(), droppedNames.end());
        for (std::size_t i = 0; i < n; ++i) {
            if (!drop[i] &&
                std::binary_search(droppedNames.begin(), droppedNames.end(), std::string_view(entries[i].name))) {
                repeated->push_back(entries[i].name);
            }
        }
    }
    list.entries_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (!drop[i]) list.entries_.push_back(std::move(entries[i]));
    }
    return list;
}

const std::string* ParamList::find(std::string_view name) const noexcept {
    for (const auto& entry : entries_) {
        if (entry.name == name) return &entry.value;
    }
    return nullptr;
}

std::optional<std::string_view> ParamList::get(std::string_view name) const noexcept {
    if (const auto* value = find(name)) return std::string_view(*value);
    return std::nullopt;
}

void ParamList::set(std::string_view name, std::string_view value) {
    for (auto& entry : entries_) {
        if (entry.name == name) {
            entry.value.assign(value);
            return;
        }
    }
    entries_.push_back(Param{std::string(name), std::string(value)});
}

bool ParamList::setIfAbsent(std::string_view name, std::string_view value) {
    if (contains(name)) return false;
    entries_.push_back(Param{std::string(name), std::string(value)});
    return true;
}

bool ParamList::erase(std::string_view name) {
    const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Param& p) { return p.name == name; });
    if (it == entries_.end()) return false;
    entries_.erase(it);
    return true;
}

}  // namespace b3s::core::bbb
