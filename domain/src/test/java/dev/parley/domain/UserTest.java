package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UserTest {
    private static final UserId ALICE = UserId.of("alice");
    private static final String EMOJI = "\uD83D\uDE00";

    @Test
    void given_name_of_64_code_points_in_128_chars_when_constructing_then_accepted() {
        User user = new User(ALICE, EMOJI.repeat(64));

        assertThat(user.name()).hasSize(128);
    }

    @Test
    void given_name_of_65_code_points_when_constructing_then_illegal_argument() {
        assertThatIllegalArgumentException().isThrownBy(() -> new User(ALICE, "n".repeat(65)));
        assertThatIllegalArgumentException().isThrownBy(() -> new User(ALICE, EMOJI.repeat(65)));
    }

    @Test
    void given_empty_or_missing_parts_when_constructing_then_refused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new User(ALICE, ""));
        assertThatNullPointerException().isThrownBy(() -> new User(ALICE, null));
        assertThatNullPointerException().isThrownBy(() -> new User(null, "Alice"));
    }

    @Test
    void given_display_name_with_controls_and_outer_space_when_creating_user_then_controls_removed_and_trimmed() {
        User user = User.withDisplayName(ALICE, " \t Al\u0000i\u007fc\u0085e\r\n ");

        assertThat(user).isEqualTo(new User(ALICE, "Alice"));
    }

    @Test
    void given_display_name_with_inner_space_and_tab_when_creating_user_then_inner_white_space_kept() {
        assertThat(User.withDisplayName(ALICE, "Alice  van\tDijk").name()).isEqualTo("Alice  van\tDijk");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\u0000\u0001\r", " \n\t ", "\u0080\u009f", "\u00A0\u202F"})
    void given_display_name_with_nothing_left_after_cleaning_when_creating_user_then_named_after_the_id(String displayName) {
        assertThat(User.withDisplayName(ALICE, displayName).name()).isEqualTo("alice");
    }

    @Test
    void given_display_name_over_64_code_points_when_creating_user_then_cut_to_64() {
        User user = User.withDisplayName(ALICE, "abcdefgh".repeat(10));

        assertThat(user.name()).isEqualTo("abcdefgh".repeat(8));
    }

    @Test
    void given_display_name_cut_right_after_a_space_when_creating_user_then_no_trailing_white_space_left() {
        User user = User.withDisplayName(ALICE, "a".repeat(62) + " \u00A0" + "b".repeat(10));

        assertThat(user.name()).isEqualTo("a".repeat(62));
    }

    @Test
    void given_display_name_of_exactly_64_code_points_when_creating_user_then_kept_whole() {
        String name = "x".repeat(64);

        assertThat(User.withDisplayName(ALICE, name).name()).isEqualTo(name);
    }

    @Test
    void given_display_name_of_emoji_over_64_code_points_when_creating_user_then_cut_between_surrogate_pairs() {
        User user = User.withDisplayName(ALICE, EMOJI.repeat(70));

        assertThat(user.name()).isEqualTo(EMOJI.repeat(64));
        assertThat(TextSanitizer.hasUnpairedSurrogate(user.name())).isFalse();
    }

    @Test
    void given_display_name_long_only_because_of_controls_when_creating_user_then_not_cut() {
        String name = "n".repeat(64);

        assertThat(User.withDisplayName(ALICE, name + "\u0000".repeat(10)).name()).isEqualTo(name);
    }

    @Test
    void given_id_only_when_naming_user_then_name_is_the_id() {
        assertThat(User.named("bob")).isEqualTo(new User(UserId.of("bob"), "bob"));
    }

    @Test
    void given_id_longer_than_64_when_naming_user_then_name_cut_but_id_whole() {
        String id = "i".repeat(100);

        User user = User.named(id);

        assertThat(user.id().value()).isEqualTo(id);
        assertThat(user.name()).isEqualTo("i".repeat(64));
    }

    @Test
    void given_system_user_when_reading_then_id_and_name_are_system() {
        assertThat(User.SYSTEM).isEqualTo(new User(UserId.of("system"), "system"));
    }

    @Test
    void given_info_of_a_front_door_when_constructing_then_kept_and_bounded() {
        UserId id = UserId.of("42");
        User member = new User(id, "42", java.util.Optional.of("{\"name\":\"Ann\"}"));

        assertThat(member.info()).contains("{\"name\":\"Ann\"}");
        assertThat(new User(id, "42")).isEqualTo(member.withInfo(java.util.Optional.empty()));
        assertThat(new User(id, "42", java.util.Optional.of("x".repeat(User.MAX_INFO_CHARS))).info()).isPresent();
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() ->
                new User(id, "42", java.util.Optional.of("x".repeat(User.MAX_INFO_CHARS + 1))));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() ->
                new User(id, "42", java.util.Optional.of("")));
    }
}
