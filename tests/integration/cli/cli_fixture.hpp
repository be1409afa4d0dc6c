#pragma once
// Shared by the CLI integration tests: a Kafka topic of its own filled from an
// event_script (the projection tests' writer stand-in), a schema name of its own, and
// cleanup of the topic and of every schema the rebuild derived from that name.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include "integration/projections/projection_fixture.hpp"
#include "cli/read_model_checksum.hpp"
#include "cli/schema_rebuild.hpp"
#include "events/kafka/kafka_event_log.hpp"
#include "test_env.hpp"

namespace tenantry::testing {

// Deletes a topic with librdkafka's admin API; best effort.
inline void delete_topic(const std::string& brokers, const std::string& topic) {
  std::string errstr;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", brokers, errstr);
  std::unique_ptr<RdKafka::Producer> admin(RdKafka::Producer::create(conf.get(), errstr));
  if (!admin) return;
  rd_kafka_queue_t* queue = rd_kafka_queue_new(admin->c_ptr());
  rd_kafka_DeleteTopic_t* t = rd_kafka_DeleteTopic_new(topic.c_str());
  rd_kafka_DeleteTopics(admin->c_ptr(), &t, 1, nullptr, queue);
  rd_kafka_DeleteTopic_destroy(t);
  if (rd_kafka_event_t* ev = rd_kafka_queue_poll(queue, 15000)) rd_kafka_event_destroy(ev);
  rd_kafka_queue_destroy(queue);
}

// A history that touches every read model and the restore path: a hierarchy of
// `tenants` (a rename, a move, a suspension, a recursive delete and its restore when there
// are at least 12), users and a session.
inline void write_history(event_script& script, int tenants = 12) {
  std::vector<std::string> ids;
  for (int i = 0; i < tenants; ++i)
    ids.push_back(script.create("Tenant " + std::to_string(i),
                                i == 0 ? std::nullopt : std::optional(ids[(i - 1) / 3])));
  const auto ann = script.register_user("ann@example.com", "Ann", {"super_admin"});
  script.register_user("bob@example.com", "Bob");
  script.start_session(ann);
  if (tenants < 12) return;
  script.update(ids[1], "Renamed One", "a new description");
  script.move(ids[5], ids[1], ids[2]);
  script.suspend(ids[2]);
  script.remove(ids[3], "del-1", ids[3]);
  script.remove(ids[10], "del-1", ids[3]);
  script.restore(ids[3], "del-1");
  script.restore(ids[10], "del-1");
  script.remove(ids[4], "del-2", ids[4]);
  script.deactivate(ids[6]);
}

// A fresh topic and schema name per test; a migrated-by-projector live schema on demand.
class CliTest : public ::testing::Test {
 protected:
  CliTest() {
    kafka_.brokers = kafka_brokers();
    kafka_.topic = unique_name("cli_events");
    kafka_.transactional_id = unique_name("cli_writer");
    schema_ = unique_name("cli");
  }

  void SetUp() override {
    auto log = kafka_event_log::open(kafka_);
    ASSERT_TRUE(log) << log.error().message;
    log_ = std::move(*log);
  }

  void TearDown() override {
    log_.reset();
    delete_topic(kafka_.brokers, kafka_.topic);
    for (const std::string& topic : extra_topics_) delete_topic(kafka_.brokers, topic);
    try {
      pqxx::connection conn(database_url());
      pqxx::nontransaction tx(conn);
      for (const auto& row : tx.exec_params(
               "SELECT nspname::text FROM pg_namespace WHERE nspname = $1 OR nspname LIKE $2",
               schema_, schema_ + "\\_%"))
        tx.exec("DROP SCHEMA " + conn.quote_name(row[0].as<std::string>()) + " CASCADE");
    } catch (const std::exception& e) {
      ADD_FAILURE() << "dropping schemas of " << schema_ << ": " << e.what();
    }
  }

  // Appends the script's events not published yet to Kafka, `per_transaction` at a time;
  // returns the Kafka offset of the last one.
  std::int64_t publish(std::size_t per_transaction = 7) {
    const std::vector<stored_event> all = source_.events();
    std::vector<recorded_event> batch;
    for (; published_ < all.size(); ++published_) {
      auto e = decode(all[published_]);
      EXPECT_TRUE(e) << e.error().message;
      if (!e) continue;
      batch.push_back(std::move(*e));
      if (batch.size() == per_transaction || published_ + 1 == all.size()) {
        auto offsets = log_->append(batch);
        EXPECT_TRUE(offsets) << offsets.error().message;
        if (offsets) last_offset_ = offsets->back();
        batch.clear();
      }
    }
    return last_offset_;
  }

  // Projects the whole topic into `schema` with a projector of `batch_size`.
  void project(const std::string& schema, std::size_t batch_size) {
    projector_options options;
    options.batch_size = batch_size;
    running_projector projector(*log_, schema, options);
    projector.await(last_offset_);
  }

  cli::rebuild_settings rebuild_settings() const {
    cli::rebuild_settings s;
    s.kafka = kafka_;
    s.database_url = database_url();
    s.schema = schema_;
    s.stall_timeout = std::chrono::seconds(30);
    return s;
  }

  cli::read_model_checksum checksum(const std::string& schema) {
    auto c = cli::checksum_read_models(database_url(), schema);
    EXPECT_TRUE(c) << c.error().message;
    return c ? *c : cli::read_model_checksum{};
  }

  std::int64_t count(const std::string& sql) {
    pqxx::connection conn(database_url());
    pqxx::nontransaction tx(conn);
    return tx.exec(sql)[0][0].as<std::int64_t>();
  }

  void exec(const std::string& sql) {
    pqxx::connection conn(database_url());
    pqxx::nontransaction tx(conn);
    tx.exec(sql);
  }

  bool schema_exists(const std::string& schema) {
    return count("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema + "'") == 1;
  }

  kafka_config kafka_;
  std::unique_ptr<kafka_event_log> log_;
  std::string schema_;
  memory_event_log source_;
  event_script script_{source_};
  std::size_t published_ = 0;
  std::int64_t last_offset_ = -1;
  std::vector<std::string> extra_topics_;
};

}  // namespace tenantry::testing
