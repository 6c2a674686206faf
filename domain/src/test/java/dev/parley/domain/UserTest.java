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
    void givenNameOf64CodePointsIn128Chars_whenConstructing_thenAccepted() {
        User user = new User(ALICE, EMOJI.repeat(64));

        assertThat(user.name()).hasSize(128);
    }

    @Test
    void givenNameOf65CodePoints_whenConstructing_thenIllegalArgument() {
        assertThatIllegalArgumentException().isThrownBy(() -> new User(ALICE, "n".repeat(65)));
        assertThatIllegalArgumentException().isThrownBy(() -> new User(ALICE, EMOJI.repeat(65)));
    }

    @Test
    void givenEmptyOrMissingParts_whenConstructing_thenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new User(ALICE, ""));
        assertThatNullPointerException().isThrownBy(() -> new User(ALICE, null));
        assertThatNullPointerException().isThrownBy(() -> new User(null, "Alice"));
    }

    @Test
    void givenDisplayNameWithControlsAndOuterSpace_whenCreatingUser_thenControlsRemovedAndTrimmed() {
        User user = User.withDisplayName(ALICE, " \t Al\u0000i\u007fc\u0085e\r\n ");

        assertThat(user).isEqualTo(new User(ALICE, "Alice"));
    }

    @Test
    void givenDisplayNameWithInnerSpaceAndTab_whenCreatingUser_thenInnerWhiteSpaceKept() {
        assertThat(User.withDisplayName(ALICE, "Alice  van\tDijk").name()).isEqualTo("Alice  van\tDijk");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\u0000\u0001\r", " \n\t ", "\u0080\u009f", "\u00A0\u202F"})
    void givenDisplayNameWithNothingLeftAfterCleaning_whenCreatingUser_thenNamedAfterTheId(String displayName) {
        assertThat(User.withDisplayName(ALICE, displayName).name()).isEqualTo("alice");
    }

    @Test
    void givenDisplayNameOver64CodePoints_whenCreatingUser_thenCutTo64() {
        User user = User.withDisplayName(ALICE, "abcdefgh".repeat(10));

        assertThat(user.name()).isEqualTo("abcdefgh".repeat(8));
    }

    @Test
    void givenDisplayNameCutRightAfterASpace_whenCreatingUser_thenNoTrailingWhiteSpaceLeft() {
        User user = User.withDisplayName(ALICE, "a".repeat(62) + " \u00A0" + "b".repeat(10));

        assertThat(user.name()).isEqualTo("a".repeat(62));
    }

    @Test
    void givenDisplayNameOfExactly64CodePoints_whenCreatingUser_thenKeptWhole() {
        String name = "x".repeat(64);

        assertThat(User.withDisplayName(ALICE, name).name()).isEqualTo(name);
    }

    @Test
    void givenDisplayNameOfEmojiOver64CodePoints_whenCreatingUser_thenCutBetweenSurrogatePairs() {
        User user = User.withDisplayName(ALICE, EMOJI.repeat(70));

        assertThat(user.name()).isEqualTo(EMOJI.repeat(64));
        assertThat(TextSanitizer.hasUnpairedSurrogate(user.name())).isFalse();
    }

    @Test
    void givenDisplayNameLongOnlyBecauseOfControls_whenCreatingUser_thenNotCut() {
        String name = "n".repeat(64);

        assertThat(User.withDisplayName(ALICE, name + "\u0000".repeat(10)).name()).isEqualTo(name);
    }

    @Test
    void givenIdOnly_whenNamingUser_thenNameIsTheId() {
        assertThat(User.named("bob")).isEqualTo(new User(UserId.of("bob"), "bob"));
    }

    @Test
    void givenIdLongerThan64_whenNamingUser_thenNameCutButIdWhole() {
        String id = "i".repeat(100);

        User user = User.named(id);

        assertThat(user.id().value()).isEqualTo(id);
        assertThat(user.name()).isEqualTo("i".repeat(64));
    }

    @Test
    void givenSystemUser_whenReading_thenIdAndNameAreSystem() {
        assertThat(User.SYSTEM).isEqualTo(new User(UserId.of("system"), "system"));
    }
}
