#include "cluster/cluster_state.hpp"

#include "log/logger.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace b3s::core::cluster {
namespace {

using store::Backend;
using store::Change;
using store::Frontend;
using store::Meeting;

log::Logger& stateLog() {
    static log::Logger l("b3s.core.cluster");
    return l;
}

// Deliberately not noexcept: libstdc++ then stores each key's hash in its node, so a lookup
// compares stored hashes instead of re-hashing keys while it walks a bucket. Lookups by
// backend id (36 bytes) took 41 ns instead of 16 ns without it; the placer makes one per
// backend for every decision.
struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Copy-on-write map in fixed shards: a builder copies only the shards it writes, so a
// change costs O(size / kShards) instead of a copy of the whole map. Immutable once the
// snapshot holding it is published.
template <class V>
class ShardedMap {
public:
    using Shard = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
    static constexpr std::size_t kShards = 64;

    const V* find(std::string_view key) const {
        const auto& shard = shards_[indexOf(key)];
        if (!shard) return nullptr;
        const auto it = shard->find(key);
        return it == shard->end() ? nullptr : &it->second;
    }
    std::size_t size() const noexcept { return size_; }
    static std::size_t shardOf(std::string_view key) noexcept { return indexOf(key); }
    const void* shard(std::size_t i) const noexcept { return shards_[i].get(); }
    template <class F>
    void forEach(F&& f) const {
        for (const auto& shard : shards_)
            if (shard)
                for (const auto& [key, value] : *shard) f(key, value);
    }

    // Writes into a map its builder owns exclusively (not yet published).
    class Writer {
    public:
        explicit Writer(ShardedMap& map) : map_(map) {}
        void set(const std::string& key, V value) {
            auto& shard = writable(indexOf(key));
            const auto [it, inserted] = shard.insert_or_assign(key, std::move(value));
            if (inserted) ++map_.size_;
        }
        bool erase(std::string_view key) {
            const auto i = indexOf(key);
            if (!map_.shards_[i] || map_.shards_[i]->find(key) == map_.shards_[i]->end()) return false;
            auto& shard = writable(i);
            shard.erase(shard.find(key));
            --map_.size_;
            return true;
        }

    private:
        Shard& writable(std::size_t i) {
            if (!copied_[i]) {
                auto copy = map_.shards_[i] ? std::make_shared<Shard>(*map_.shards_[i]) : std::make_shared<Shard>();
                copied_[i] = copy.get();
                map_.shards_[i] = std::move(copy);
            }
            return *copied_[i];
        }
        ShardedMap& map_;
        std::array<Shard*, kShards> copied_{};
    };

private:
    // The top bits pick the shard; the shard's own buckets use the hash modulo a prime.
    static std::size_t indexOf(std::string_view key) noexcept { return (StringHash{}(key) >> 58) % kShards; }

    std::array<std::shared_ptr<const Shard>, kShards> shards_{};
    std::size_t size_ = 0;
};

using MeetingList = std::vector<MeetingPtr>;

bool meetingOrder(const MeetingPtr& a, const MeetingPtr& b) {
    return std::tie(a->created_at, a->id) < std::tie(b->created_at, b->id);
}

bool hasUpperCase(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string lowerCase(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Uuids are stored in lowercase; accept any spelling without allocating in the usual case.
template <class V>
const V* findId(const ShardedMap<V>& map, std::string_view id) {
    if (const auto* v = map.find(id)) return v;
    return hasUpperCase(id) ? map.find(lowerCase(id)) : nullptr;
}

std::string tombstoneKey(Change::Table table, std::string_view id) {
    std::string key(store::toString(table));
    key += '\n';
    key += id;
    return key;
}

constexpr std::size_t kMaxTombstones = 4096;

}  // namespace

// ---------------------------------------------------------------------------------------
// Snapshot

struct ClusterSnapshot::Data {
    ShardedMap<FrontendPtr> frontends;  // by id
    ShardedMap<FrontendPtr> frontends_by_key;
    ShardedMap<BackendPtr> backends;  // by id
    std::shared_ptr<const BackendList> backend_list = std::make_shared<const BackendList>();
    ShardedMap<MeetingPtr> meetings;  // by meeting id (the table's primary key)
    ShardedMap<std::shared_ptr<const MeetingList>> meetings_by_frontend;
    ShardedMap<std::shared_ptr<const MeetingList>> meetings_by_backend;  // placed meetings only
    std::uint64_t generation = 0;
};

ClusterSnapshot::ClusterSnapshot(std::unique_ptr<const Data> data) : data_(std::move(data)) {}
ClusterSnapshot::~ClusterSnapshot() = default;

FrontendPtr ClusterSnapshot::frontendByKey(std::string_view key) const {
    const auto* f = data_->frontends_by_key.find(key);
    return f ? *f : nullptr;
}

FrontendPtr ClusterSnapshot::frontend(std::string_view id) const {
    const auto* f = findId(data_->frontends, id);
    return f ? *f : nullptr;
}

BackendPtr ClusterSnapshot::backend(std::string_view id) const {
    const auto* b = findId(data_->backends, id);
    return b ? *b : nullptr;
}

const BackendList& ClusterSnapshot::backends() const {
    return *data_->backend_list;
}

MeetingPtr ClusterSnapshot::meeting(std::string_view frontend_id, std::string_view meeting_id) const {
    const auto* m = data_->meetings.find(meeting_id);
    if (!m) return nullptr;
    const auto& owner = (*m)->frontend_id;
    if (owner == frontend_id || (hasUpperCase(frontend_id) && owner == lowerCase(frontend_id))) return *m;
    return nullptr;
}

std::vector<MeetingPtr> ClusterSnapshot::meetingsOfFrontend(std::string_view frontend_id) const {
    const auto* list = findId(data_->meetings_by_frontend, frontend_id);
    return list ? **list : std::vector<MeetingPtr>{};
}

const std::vector<MeetingPtr>& ClusterSnapshot::meetingsOnBackend(std::string_view backend_id) const {
    static const std::vector<MeetingPtr> kNone;
    const auto* list = findId(data_->meetings_by_backend, backend_id);
    return list ? **list : kNone;
}

std::vector<FrontendPtr> ClusterSnapshot::frontends() const {
    std::vector<FrontendPtr> out;
    out.reserve(data_->frontends.size());
    data_->frontends.forEach([&](const std::string&, const FrontendPtr& f) { out.push_back(f); });
    return out;
}

void ClusterSnapshot::forEachMeeting(const std::function<void(const store::Meeting&)>& visit) const {
    data_->meetings.forEach([&](const std::string&, const MeetingPtr& m) { visit(*m); });
}

std::size_t ClusterSnapshot::frontendCount() const {
    return data_->frontends.size();
}
std::size_t ClusterSnapshot::backendCount() const {
    return data_->backends.size();
}
std::size_t ClusterSnapshot::meetingCount() const {
    return data_->meetings.size();
}
std::uint64_t ClusterSnapshot::generation() const {
    return data_->generation;
}

static_assert(ClusterSnapshot::kMeetingListGroups == ShardedMap<MeetingPtr>::kShards);

std::size_t ClusterSnapshot::meetingListGroupOf(std::string_view backend_id) {
    return ShardedMap<std::shared_ptr<const MeetingList>>::shardOf(backend_id);
}

const void* ClusterSnapshot::meetingListGroup(std::size_t group) const {
    return data_->meetings_by_backend.shard(group);
}

// ---------------------------------------------------------------------------------------
// MeetingIndex: meetings grouped by one of their ids (frontend, backend), each group ordered
// by created_at then id. Copy-on-write like the maps: a group is copied the first time a
// builder writes it.

namespace {

class MeetingIndex {
public:
    using Map = ShardedMap<std::shared_ptr<const MeetingList>>;
    using KeyOf = const std::string* (*)(const Meeting&);  // nullptr: not indexed

    MeetingIndex(Map& map, KeyOf key_of) : map_(map), writer_(map), key_of_(key_of) {}

    void insert(const MeetingPtr& m) {
        const auto* key = key_of_(*m);
        if (!key) return;
        auto& list = writable(*key);
        const auto same = std::find_if(list.begin(), list.end(), [&](const MeetingPtr& x) { return x->id == m->id; });
        if (same != list.end()) list.erase(same);
        list.insert(std::upper_bound(list.begin(), list.end(), m, meetingOrder), m);
    }
    void remove(const Meeting& m) {
        const auto* key = key_of_(m);
        if (!key || !map_.find(*key)) return;
        auto& list = writable(*key);
        const auto same = std::find_if(list.begin(), list.end(), [&](const MeetingPtr& x) { return x->id == m.id; });
        if (same != list.end()) list.erase(same);
    }
    /// Forgets the whole group (its meetings are removed or re-keyed by the caller).
    void drop(const std::string& key) {
        writer_.erase(key);
        owned_.erase(key);
    }
    void dropEmpty() {
        for (const auto& [key, list] : owned_)
            if (list->empty()) writer_.erase(key);
    }

private:
    MeetingList& writable(const std::string& key) {
        if (const auto it = owned_.find(key); it != owned_.end()) return *it->second;
        const auto* shared = map_.find(key);
        auto copy = shared ? std::make_shared<MeetingList>(**shared) : std::make_shared<MeetingList>();
        MeetingList* raw = copy.get();
        writer_.set(key, std::move(copy));
        owned_.emplace(key, raw);
        return *raw;
    }

    Map& map_;
    Map::Writer writer_;
    KeyOf key_of_;
    std::unordered_map<std::string, MeetingList*> owned_;
};

}  // namespace

// ---------------------------------------------------------------------------------------
// Builder: the next snapshot, private to the one writer holding write_mutex_. Keeps the
// foreign-key closure described in the header.

class ClusterState::Builder {
public:
    using Data = ClusterSnapshot::Data;

    explicit Builder(const Data& base)
        : data_(std::make_unique<Data>(base)),
          frontends_(data_->frontends),
          frontends_by_key_(data_->frontends_by_key),
          backends_(data_->backends),
          meetings_(data_->meetings),
          by_frontend_(data_->meetings_by_frontend, [](const Meeting& m) { return &m.frontend_id; }),
          by_backend_(data_->meetings_by_backend,
                      [](const Meeting& m) { return m.backend_id ? &*m.backend_id : nullptr; }) {}

    const Data& data() const { return *data_; }

    bool putFrontend(const FrontendPtr& f) {
        const auto* existing = data_->frontends.find(f->id);
        if (existing && (*existing)->version > f->version) return false;
        if (existing && (*existing)->key != f->key) dropKeyOf(**existing);
        frontends_.set(f->id, f);
        frontends_by_key_.set(f->key, f);
        return true;
    }

    /// Not applied: a row read before a change the view holds already (admin edits bump
    /// `version`, poll results `poll_seq`), and the very row the view holds — the feed's
    /// echo of this instance's own write, one per poll, which would publish a snapshot for
    /// nothing.
    bool putBackend(const BackendPtr& b) {
        const auto* existing = data_->backends.find(b->id);
        if (existing) {
            const auto& held = **existing;
            if (std::tie(held.version, held.poll_seq) > std::tie(b->version, b->poll_seq)) return false;
            if (held == *b) return false;
        }
        backends_.set(b->id, b);
        // The same host keeps its place in the ordered list: replace the entry, do not sort.
        if (existing && (*existing)->host == b->host)
            replaced_.push_back(b);
        else
            backend_list_dirty_ = true;
        return true;
    }

    /// A row of the meeting the view holds (same id and created_at) replaces it only when its
    /// version is not older: a refresh that read the store just before this instance's own
    /// next write must not undo it (the write's notification follows). Another incarnation of
    /// the id (re-created) is installed when `authoritative` (a refresh or reload: the store
    /// as it is now); otherwise an older updated_at than the held one loses.
    bool putMeeting(MeetingPtr m, bool authoritative) {
        if (!data_->frontends.find(m->frontend_id)) {
            // Its frontend is gone (the database cascades the delete); so is the meeting.
            return removeMeeting(m->id);
        }
        if (m->backend_id && !data_->backends.find(*m->backend_id)) {
            auto unbound = std::make_shared<Meeting>(*m);
            unbound->backend_id.reset();
            m = std::move(unbound);
        }
        const auto* existing = data_->meetings.find(m->id);
        if (existing) {
            const bool same_incarnation = (*existing)->created_at == m->created_at;
            if (same_incarnation && (*existing)->version > m->version) return false;
            if (!same_incarnation && !authoritative && (*existing)->updated_at > m->updated_at) return false;
            by_frontend_.remove(**existing);
            by_backend_.remove(**existing);
        }
        meetings_.set(m->id, m);
        by_frontend_.insert(m);
        by_backend_.insert(m);
        return true;
    }

    bool removeFrontend(std::string_view id) {
        const auto* existing = data_->frontends.find(id);
        if (!existing) return false;
        const FrontendPtr f = *existing;
        dropKeyOf(*f);
        if (const auto* list = data_->meetings_by_frontend.find(f->id)) {
            const auto meetings = *list;  // keeps the list alive while its entries go
            for (const auto& m : *meetings) {
                by_backend_.remove(*m);
                meetings_.erase(m->id);
            }
            by_frontend_.drop(f->id);
        }
        frontends_.erase(f->id);
        return true;
    }

    bool removeBackend(std::string_view id) {
        const auto* existing = data_->backends.find(id);
        if (!existing) return false;
        const std::string backend_id = (*existing)->id;
        backends_.erase(backend_id);
        backend_list_dirty_ = true;
        std::vector<MeetingPtr> bound;
        data_->meetings.forEach([&](const std::string&, const MeetingPtr& m) {
            if (m->backend_id == backend_id) bound.push_back(m);
        });
        by_backend_.drop(backend_id);
        for (const auto& m : bound) {
            auto unbound = std::make_shared<Meeting>(*m);
            unbound->backend_id.reset();
            MeetingPtr replacement = std::move(unbound);
            meetings_.set(replacement->id, replacement);
            by_frontend_.remove(*m);
            by_frontend_.insert(replacement);
        }
        return true;
    }

    bool removeMeeting(std::string_view id) {
        const auto* existing = data_->meetings.find(id);
        if (!existing) return false;
        const MeetingPtr m = *existing;
        by_frontend_.remove(*m);
        by_backend_.remove(*m);
        meetings_.erase(m->id);
        return true;
    }

    std::unique_ptr<const Data> finish(std::uint64_t generation) {
        if (!backend_list_dirty_ && !replaced_.empty()) backend_list_dirty_ = !replaceInList();
        if (backend_list_dirty_) {
            auto list = std::make_shared<BackendList>();
            list->reserve(data_->backends.size());
            data_->backends.forEach([&](const std::string&, const BackendPtr& b) { list->push_back(b); });
            std::sort(list->begin(), list->end(), listOrder);
            data_->backend_list = std::move(list);
        }
        by_frontend_.dropEmpty();
        by_backend_.dropEmpty();
        data_->generation = generation;
        return std::move(data_);
    }

private:
    static bool listOrder(const BackendPtr& a, const BackendPtr& b) {
        return std::tie(a->host, a->id) < std::tie(b->host, b->id);
    }

    // A copy of the list with the replaced rows at their places (binary search; a poll
    // changes one row of 1,000); false if one is missing, then the list is rebuilt.
    bool replaceInList() {
        auto list = std::make_shared<BackendList>(*data_->backend_list);
        for (const auto& b : replaced_) {
            const auto at = std::lower_bound(list->begin(), list->end(), b, listOrder);
            if (at == list->end() || (*at)->id != b->id) return false;
            *at = b;
        }
        data_->backend_list = std::move(list);
        return true;
    }

    void dropKeyOf(const Frontend& f) {
        // Another frontend may hold the key by now (keys move); leave its mapping alone.
        const auto* holder = data_->frontends_by_key.find(f.key);
        if (holder && (*holder)->id == f.id) frontends_by_key_.erase(f.key);
    }

    std::unique_ptr<Data> data_;
    ShardedMap<FrontendPtr>::Writer frontends_;
    ShardedMap<FrontendPtr>::Writer frontends_by_key_;
    ShardedMap<BackendPtr>::Writer backends_;
    ShardedMap<MeetingPtr>::Writer meetings_;
    MeetingIndex by_frontend_;
    MeetingIndex by_backend_;
    bool backend_list_dirty_ = false;
    std::vector<BackendPtr> replaced_;  ///< rows replaced under the same host, in order
};

// ---------------------------------------------------------------------------------------
// ClusterState

ClusterState::ClusterState(store::Store& store)
    : store_(store),
      current_(std::shared_ptr<const ClusterSnapshot>(
          new ClusterSnapshot(std::make_unique<const ClusterSnapshot::Data>()))) {}

ClusterState::~ClusterState() = default;

std::shared_ptr<const ClusterSnapshot> ClusterState::snapshot() const {
    std::lock_guard lock(snapshot_mutex_);
    return current_;
}

FrontendPtr ClusterState::frontendByKey(std::string_view key) const {
    return snapshot()->frontendByKey(key);
}
FrontendPtr ClusterState::frontend(std::string_view id) const {
    return snapshot()->frontend(id);
}
BackendPtr ClusterState::backend(std::string_view id) const {
    return snapshot()->backend(id);
}
std::shared_ptr<const BackendList> ClusterState::backends() const {
    auto snap = snapshot();
    const BackendList* list = &snap->backends();
    return std::shared_ptr<const BackendList>(std::move(snap), list);
}
MeetingPtr ClusterState::meeting(std::string_view frontend_id, std::string_view meeting_id) const {
    return snapshot()->meeting(frontend_id, meeting_id);
}
std::vector<MeetingPtr> ClusterState::meetingsOfFrontend(std::string_view frontend_id) const {
    return snapshot()->meetingsOfFrontend(frontend_id);
}

void ClusterState::publish(std::shared_ptr<const ClusterSnapshot> next) {
    {
        std::lock_guard lock(snapshot_mutex_);
        current_.swap(next);
    }
    // `next` now holds the previous snapshot; if this was its last owner it is freed here,
    // outside the lock readers take.
}

bool ClusterState::applyLocked(const Mutation& mutation) {
    Builder builder(*current_->data_);
    if (!mutation(builder)) return false;
    if (journaling_) journal_.push_back(mutation);
    publish(std::shared_ptr<const ClusterSnapshot>(new ClusterSnapshot(builder.finish(++generation_))));
    return true;
}

// Tombstones --------------------------------------------------------------------------

const std::optional<store::Micros>* ClusterState::tombstoneLocked(Change::Table table, std::string_view id) const {
    const auto it = tombstones_.find(tombstoneKey(table, id));
    return it == tombstones_.end() ? nullptr : &it->second;
}

void ClusterState::buryLocked(Change::Table table, std::string_view id, std::optional<store::Micros> created_at) {
    auto key = tombstoneKey(table, id);
    const auto [it, inserted] = tombstones_.insert_or_assign(key, created_at);
    if (!inserted) return;
    tombstone_order_.push_back(std::move(key));
    if (tombstone_order_.size() > kMaxTombstones) {
        tombstones_.erase(tombstone_order_.front());
        tombstone_order_.pop_front();
    }
}

void ClusterState::unburyLocked(Change::Table table, std::string_view id) {
    // The key stays in tombstone_order_ until it is evicted; erasing a missing key is harmless.
    tombstones_.erase(tombstoneKey(table, id));
}

// Following the store -----------------------------------------------------------------

void ClusterState::markStale(const std::string& operation, const std::exception& e) {
    ++failures_;
    const bool was_stale = stale_.exchange(true);
    // An outage fails every refresh the same way; say it once per stale period.
    if (!was_stale) {
        stateLog().warn("cluster_state_stale", {{"operation", operation},
                                                {"error", e.what()},
                                                {"effect", "serving the last snapshot; reloading on the next change"}});
    }
}

void ClusterState::reload() {
    std::lock_guard reload_lock(reload_mutex_);
    const auto failures_before = failures_.load();
    {
        std::lock_guard lock(write_mutex_);
        journaling_ = true;
        journal_.clear();
    }
    auto stopJournaling = [&] {
        std::lock_guard lock(write_mutex_);
        journaling_ = false;
        journal_.clear();
    };

    // Meetings first: every frontend and backend a meeting read here references existed
    // when it was read, so enforcing the foreign keys below only drops what was deleted
    // since. Anything committed after a list was read arrives as a change (and is applied
    // again from the journal if it arrives before this reload publishes).
    std::vector<Meeting> meetings;
    std::vector<Backend> backends;
    std::vector<Frontend> frontends;
    try {
        meetings = store_.listAllMeetings();
        backends = store_.listBackends();
        frontends = store_.listFrontends();
    } catch (const store::StoreError& e) {
        stopJournaling();
        markStale("reload", e);
        throw;
    }

    std::lock_guard lock(write_mutex_);
    Builder builder{ClusterSnapshot::Data{}};
    for (auto& b : backends) builder.putBackend(std::make_shared<const Backend>(std::move(b)));
    for (auto& f : frontends) builder.putFrontend(std::make_shared<const Frontend>(std::move(f)));
    for (auto& m : meetings) builder.putMeeting(std::make_shared<const Meeting>(std::move(m)), true);
    for (const auto& mutation : journal_) mutation(builder);
    journaling_ = false;
    journal_.clear();
    auto next = std::shared_ptr<const ClusterSnapshot>(new ClusterSnapshot(builder.finish(++generation_)));
    const auto counts = std::to_string(next->frontendCount()) + "/" + std::to_string(next->backendCount()) + "/" +
                        std::to_string(next->meetingCount());
    publish(std::move(next));
    // A failure since this reload began may have lost a change this reload did not read.
    if (failures_.load() == failures_before && stale_.exchange(false))
        stateLog().info("cluster_state_fresh", {{"frontends/backends/meetings", counts}});
    stateLog().debug("cluster_state_reloaded", {{"frontends/backends/meetings", counts}});
}

void ClusterState::refresh(const Change& change) {
    try {
        if (change.op == Change::Op::ResyncAll || stale_.load()) {
            reload();
            return;
        }
        refreshRow(change);
    } catch (const store::StoreError& e) {
        // reload() has marked the view stale already; a single row read has not.
        markStale("refresh " + store::describe(change), e);
    }
}

bool ClusterState::refreshRow(const Change& change) {
    using Table = Change::Table;
    const bool deleted = change.op == Change::Op::Delete;
    switch (change.table) {
        case Table::Frontends: {
            auto row = deleted ? std::nullopt : store_.findFrontend(change.id);
            std::lock_guard lock(write_mutex_);
            if (!row) {
                buryLocked(Table::Frontends, change.id, std::nullopt);
                const std::string id = change.id;
                return applyLocked([id](Builder& b) { return b.removeFrontend(id); });
            }
            unburyLocked(Table::Frontends, row->id);
            auto record = std::make_shared<const Frontend>(std::move(*row));
            return applyLocked([record](Builder& b) { return b.putFrontend(record); });
        }
        case Table::Backends: {
            auto row = deleted ? std::nullopt : store_.findBackend(change.id);
            std::lock_guard lock(write_mutex_);
            if (!row) {
                buryLocked(Table::Backends, change.id, std::nullopt);
                const std::string id = change.id;
                return applyLocked([id](Builder& b) { return b.removeBackend(id); });
            }
            unburyLocked(Table::Backends, row->id);
            auto record = std::make_shared<const Backend>(std::move(*row));
            return applyLocked([record](Builder& b) { return b.putBackend(record); });
        }
        case Table::Meetings: {
            // Even for a delete: meeting ids come back (a create undone and placed again), and
            // a late delete of the previous incarnation must not remove the new one. The
            // store as it is now is what the view installs.
            auto row = store_.findMeetingById(change.id);
            // A meeting may reference a frontend or backend whose own change this view has
            // not applied yet (or lost while stale): fetch it, and apply all in one step.
            std::optional<Frontend> frontend;
            std::optional<Backend> backend;
            if (row) {
                const auto snap = snapshot();
                if (!snap->frontend(row->frontend_id)) frontend = store_.findFrontend(row->frontend_id);
                if (row->backend_id && !snap->backend(*row->backend_id)) backend = store_.findBackend(*row->backend_id);
            }
            std::lock_guard lock(write_mutex_);
            if (!row) {
                const auto* held = current_->data_->meetings.find(change.id);
                buryLocked(Table::Meetings, change.id,
                           held ? std::optional<store::Micros>((*held)->created_at) : std::nullopt);
                const std::string id = change.id;
                return applyLocked([id](Builder& b) { return b.removeMeeting(id); });
            }
            unburyLocked(Table::Meetings, row->id);
            auto record = std::make_shared<const Meeting>(std::move(*row));
            auto f = frontend ? std::make_shared<const Frontend>(std::move(*frontend)) : nullptr;
            auto b = backend ? std::make_shared<const Backend>(std::move(*backend)) : nullptr;
            return applyLocked([record, f, b](Builder& builder) {
                bool changed = false;
                if (f) changed |= builder.putFrontend(f);
                if (b) changed |= builder.putBackend(b);
                changed |= builder.putMeeting(record, true);
                return changed;
            });
        }
    }
    return false;
}

void ClusterState::attach(store::ChangeFeed& feed) {
    feed.start([this](const Change& change) { refresh(change); });
}

// Write-through -----------------------------------------------------------------------

bool ClusterState::put(store::Frontend frontend) {
    auto record = std::make_shared<const Frontend>(std::move(frontend));
    std::lock_guard lock(write_mutex_);
    // Frontend and backend ids are fresh uuids: a deleted one never comes back.
    if (tombstoneLocked(Change::Table::Frontends, record->id)) return false;
    return applyLocked([record](Builder& b) { return b.putFrontend(record); });
}

bool ClusterState::put(store::Backend backend) {
    auto record = std::make_shared<const Backend>(std::move(backend));
    std::lock_guard lock(write_mutex_);
    if (tombstoneLocked(Change::Table::Backends, record->id)) return false;
    return applyLocked([record](Builder& b) { return b.putBackend(record); });
}

bool ClusterState::put(store::Meeting meeting) {
    auto record = std::make_shared<const Meeting>(std::move(meeting));
    {
        std::lock_guard lock(write_mutex_);
        const auto* tombstone = tombstoneLocked(Change::Table::Meetings, record->id);
        if (!tombstone || (*tombstone && record->created_at > **tombstone)) {
            // No delete reported, or this is a later meeting re-using the id.
            if (tombstone) unburyLocked(Change::Table::Meetings, record->id);
            return applyLocked([record](Builder& b) { return b.putMeeting(record, false); });
        }
        if (*tombstone) return false;  // the very meeting that was deleted: too late
    }
    // Deleted while this view did not hold it, so which meeting `record` is cannot be told
    // from here: ask the store (rare; needs a delete racing this instance's own write).
    try {
        refreshRow(Change{Change::Table::Meetings, Change::Op::Upsert, record->id});
        return snapshot()->meeting(record->frontend_id, record->id) != nullptr;
    } catch (const store::StoreError& e) {
        markStale("put meeting", e);
        return false;
    }
}

bool ClusterState::removeFrontend(std::string_view id) {
    const std::string key(id);
    std::lock_guard lock(write_mutex_);
    return applyLocked([key](Builder& b) { return b.removeFrontend(key); });
}

bool ClusterState::removeBackend(std::string_view id) {
    const std::string key(id);
    std::lock_guard lock(write_mutex_);
    return applyLocked([key](Builder& b) { return b.removeBackend(key); });
}

bool ClusterState::removeMeeting(std::string_view meeting_id) {
    const std::string key(meeting_id);
    std::lock_guard lock(write_mutex_);
    return applyLocked([key](Builder& b) { return b.removeMeeting(key); });
}

}  // namespace b3s::core::cluster
