package dev.parley.adapters.postgres;

import static dev.parley.adapters.postgres.Drafts.ALICE;
import static dev.parley.adapters.postgres.Drafts.draft;
import static dev.parley.adapters.postgres.Drafts.uniqueRoom;
import static dev.parley.adapters.postgres.PostgresMessageStoreTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.application.port.out.AppendOutcome;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.RoomName;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two stores with two pools on one database, as two Parley nodes would be. */
class TwoNodesTest {
    private static String schema;
    private static PostgresMessageStore nodeA;
    private static PostgresMessageStore nodeB;

    @BeforeAll
    static void startNodes() {
        String url = TestDatabase.url();
        schema = TestDatabase.uniqueSchema("nodes");
        nodeA = PostgresMessageStore.start(TestDatabase.settings(url, schema).withApplicationName(schema + "_a"),
                Clock.systemUTC());
        nodeB = PostgresMessageStore.start(TestDatabase.settings(url, schema).withApplicationName(schema + "_b"),
                Clock.systemUTC());
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (nodeA != null) {
            nodeA.close();
        }
        if (nodeB != null) {
            nodeB.close();
        }
        if (schema != null) {
            TestDatabase.dropSchema(schema);
        }
    }

    @Test
    void given_two_nodes_when_both_append_to_one_room_at_once_then_seqs_are_gap_free_across_them() throws Exception {
        RoomName room = uniqueRoom("shared");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Long>>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                PostgresMessageStore node = t % 2 == 0 ? nodeA : nodeB;
                String prefix = (t % 2 == 0 ? "a" : "b") + t;
                tasks.add(threads.submit(() -> PostgresMessageStoreTest.appendAll(node, room, prefix, 500)));
            }
            List<Long> seqs = new ArrayList<>();
            for (Future<List<Long>> task : tasks) {
                seqs.addAll(task.get(2, TimeUnit.MINUTES));
            }

            assertThat(seqs).hasSize(4_000).doesNotHaveDuplicates();
            assertThat(seqs.stream().sorted().collect(Collectors.toList()))
                    .containsExactlyElementsOf(PostgresMessageStoreTest.range(1, 4_000));
            assertThat(await(nodeA.streamState(room))).isEqualTo(await(nodeB.streamState(room)));
            assertThat(await(nodeB.range(room, 0, 4_000))).extracting(ChatMessage::seq)
                    .containsExactlyElementsOf(PostgresMessageStoreTest.range(1, 4_000));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void given_two_nodes_when_both_append_the_same_draft_at_once_then_stored_once_and_both_answer_its_seq() {
        RoomName room = uniqueRoom("race");
        int races = 200;
        List<CompletableFuture<AppendOutcome>> onA = new ArrayList<>();
        List<CompletableFuture<AppendOutcome>> onB = new ArrayList<>();
        for (int i = 0; i < races; i++) {
            onA.add(nodeA.append(draft(room, "race-" + i, ALICE, "race " + i)));
            onB.add(nodeB.append(draft(room, "race-" + i, ALICE, "race " + i)));
        }

        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < races; i++) {
            AppendOutcome a = await(onA.get(i));
            AppendOutcome b = await(onB.get(i));
            assertThat(a.message()).isEqualTo(b.message());
            assertThat(List.of(a, b)).as("race %d", i).filteredOn(outcome -> outcome instanceof AppendOutcome.Stored)
                    .hasSize(1);
            seqs.add(a.message().seq());
        }
        assertThat(seqs).doesNotHaveDuplicates();
        assertThat(await(nodeA.streamState(room)).latestSeq()).isEqualTo(races);
    }
}
