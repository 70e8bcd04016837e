#include "actors/doris/cluster_service.hpp"

#include <caf/event_based_actor.hpp>

namespace compactsim::actors {

doris_cluster_service::doris_cluster_service(caf::actor_system& sys, router_actor router, std::size_t backends,
                                 sim::api_profile profile, std::chrono::milliseconds timeout)
  : sys_(sys), router_(std::move(router)), backends_(backends), profile_(profile), timeout_(timeout) {}

template <class T, class... Ts>
void doris_cluster_service::ask(int be, callback<T> cb, Ts... xs) {
  auto fail = [cb](const caf::error& e) { cb(reply<T>{std::nullopt, caf::to_string(e)}); };
  // The router travels as a spawn argument: CAF 0.17 dereferences a null
  // argument tuple when a function actor is spawned without arguments (UBSan).
  auto asker = [=, timeout = timeout_](caf::event_based_actor* self, const router_actor& router) {
    self->request(router, timeout, backend_atom::value, static_cast<std::int32_t>(be))
      .then(
        [=](const backend_actor& backend) {
          self->request(backend, timeout, xs...).then([=](T& value) { cb(reply<T>{std::move(value), {}}); }, fail);
        },
        fail);
  };
  router_actor router;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    router = router_;
  }
  sys_.spawn(asker, router);
}

void doris_cluster_service::retarget(router_actor router) {
  std::lock_guard<std::mutex> guard{mutex_};
  router_ = std::move(router);
}

void doris_cluster_service::run_compaction(int be, std::int64_t tablet, sim::compaction_type type,
                                     callback<sim::status> cb) {
  ask<sim::status>(be, std::move(cb), run_atom::value, tablet, static_cast<std::uint8_t>(type));
}

void doris_cluster_service::run_table_full(int be, std::int64_t table, callback<sim::status> cb) {
  ask<sim::status>(be, std::move(cb), table_full_atom::value, table);
}

void doris_cluster_service::run_status(int be, std::int64_t tablet, callback<sim::run_status_view> cb) {
  ask<sim::run_status_view>(be, std::move(cb), run_status_atom::value, tablet);
}

void doris_cluster_service::registry(int be, callback<sim::registry_view> cb) {
  ask<sim::registry_view>(be, std::move(cb), run_status_atom::value);
}

void doris_cluster_service::show(int be, std::int64_t tablet, callback<sim::tablet_snapshot> cb) {
  ask<sim::tablet_snapshot>(be, std::move(cb), show_atom::value, tablet);
}

void doris_cluster_service::scores(int be, callback<std::vector<sim::score_entry>> cb) {
  ask<std::vector<sim::score_entry>>(be, std::move(cb), score_atom::value);
}

void doris_cluster_service::tablets(int be, callback<std::vector<sim::tablet_brief>> cb) {
  ask<std::vector<sim::tablet_brief>>(be, std::move(cb), tablets_atom::value);
}

void doris_cluster_service::knobs(int be, callback<sim::doris_knobs> cb) {
  ask<sim::doris_knobs>(be, std::move(cb), knobs_atom::value);
}

void doris_cluster_service::update_config(int be, sim::config_updates updates, callback<std::vector<sim::status>> cb) {
  ask<std::vector<sim::status>>(be, std::move(cb), set_conf_atom::value, std::move(updates));
}

void doris_cluster_service::delete_bitmap(int be, std::int64_t tablet, callback<sim::delete_bitmap_view> cb) {
  ask<sim::delete_bitmap_view>(be, std::move(cb), bitmap_atom::value, tablet);
}

void doris_cluster_service::on_backend(int be, backend_job job, callback<bool> cb) {
  ask<bool>(be, std::move(cb), exec_atom::value, std::move(job));
}

} // namespace compactsim::actors
