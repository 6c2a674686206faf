package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoomGrantsTest {

    private static boolean permits(RoomGrants grants, String room) {
        return grants.permits(RoomName.of(room));
    }

    @Test
    void given_no_grants_when_checking_any_room_then_not_permitted() {
        assertThat(permits(RoomGrants.NONE, "private:x")).isFalse();
        assertThat(permits(RoomGrants.of(), "lobby")).isFalse();
    }

    @Test
    void given_exact_pattern_when_checking_then_only_that_room() {
        RoomGrants grants = RoomGrants.of("private:team");

        assertThat(permits(grants, "private:team")).isTrue();
        assertThat(permits(grants, "private:team2")).isFalse();
        assertThat(permits(grants, "private:tea")).isFalse();
        assertThat(permits(grants, "xprivate:team")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"private:team-", "private:team-dev", "private:team-a:b.c", "private:team--"})
    void given_star_pattern_when_checking_rooms_it_covers_then_permitted(String room) {
        assertThat(permits(RoomGrants.of("private:team-*"), room)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"private:team", "private:teamx", "private:other", "team-dev", "private:Team-dev"})
    void given_star_pattern_when_checking_rooms_outside_it_then_not_permitted(String room) {
        assertThat(permits(RoomGrants.of("private:team-*"), room)).isFalse();
    }

    @Test
    void given_star_in_the_middle_when_checking_then_any_run_between_the_fixed_parts() {
        RoomGrants grants = RoomGrants.of("private:*-ops");

        assertThat(permits(grants, "private:-ops")).isTrue();
        assertThat(permits(grants, "private:eu-west-ops")).isTrue();
        assertThat(permits(grants, "private:eu-west-ops2")).isFalse();
    }

    @Test
    void given_question_mark_pattern_when_checking_then_exactly_one_character() {
        RoomGrants grants = RoomGrants.of("private:room-?");

        assertThat(permits(grants, "private:room-1")).isTrue();
        assertThat(permits(grants, "private:room-:")).isTrue();
        assertThat(permits(grants, "private:room-")).isFalse();
        assertThat(permits(grants, "private:room-12")).isFalse();
    }

    @Test
    void given_lone_star_when_checking_then_every_room() {
        assertThat(permits(RoomGrants.of("*"), "private:anything")).isTrue();
        assertThat(permits(RoomGrants.of("*"), "user:bob")).isTrue();
    }

    @Test
    void given_dot_in_pattern_when_checking_then_dot_is_literal() {
        RoomGrants grants = RoomGrants.of("private:a.b");

        assertThat(permits(grants, "private:a.b")).isTrue();
        assertThat(permits(grants, "private:axb")).isFalse();
        assertThat(permits(RoomGrants.of("..."), "abc")).isFalse();
        assertThat(permits(RoomGrants.of("..."), "...")).isTrue();
    }

    @Test
    void given_regex_metacharacters_in_pattern_when_checking_then_they_are_literal() {
        assertThat(permits(RoomGrants.of("private:[ab]"), "private:a")).isFalse();
        assertThat(permits(RoomGrants.of("private:a|lobby"), "lobby")).isFalse();
        assertThat(permits(RoomGrants.of("private:a|lobby"), "private:a")).isFalse();
        assertThat(permits(RoomGrants.of("private:(a)"), "private:a")).isFalse();
        assertThat(permits(RoomGrants.of("private:a+"), "private:aa")).isFalse();
        assertThat(permits(RoomGrants.of("private:a{2}"), "private:aa")).isFalse();
        assertThat(permits(RoomGrants.of("^private:a$"), "private:a")).isFalse();
        assertThat(permits(RoomGrants.of("private:\\w"), "private:a")).isFalse();
        assertThat(permits(RoomGrants.of("private:\\E.*"), "private:a")).isFalse();
        assertThat(permits(RoomGrants.of("private:\\Q*"), "private:a")).isFalse();
    }

    @Test
    void given_regex_metacharacters_around_globs_when_checking_then_globs_still_work() {
        assertThat(permits(RoomGrants.of("private:a.*"), "private:a.b")).isTrue();
        assertThat(permits(RoomGrants.of("private:a.*"), "private:ab")).isFalse();
        assertThat(permits(RoomGrants.of("private:?.b"), "private:x.b")).isTrue();
        assertThat(permits(RoomGrants.of("private:?.b"), "private:xxb")).isFalse();
    }

    @Test
    void given_several_patterns_when_checking_then_any_matching_one_permits() {
        RoomGrants grants = RoomGrants.of("private:a", "private:b-*");

        assertThat(permits(grants, "private:a")).isTrue();
        assertThat(permits(grants, "private:b-1")).isTrue();
        assertThat(permits(grants, "private:c")).isFalse();
    }

    @Test
    void given_mutable_list_when_making_grants_then_grants_keep_an_unmodifiable_copy() {
        List<String> patterns = new ArrayList<>(List.of("private:a"));

        RoomGrants grants = new RoomGrants(patterns);
        patterns.add("private:b");

        assertThat(grants.patterns()).containsExactly("private:a");
        assertThat(permits(grants, "private:b")).isFalse();
        assertThatThrownBy(() -> grants.patterns().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatNullPointerException().isThrownBy(() -> new RoomGrants(null));
    }
}
