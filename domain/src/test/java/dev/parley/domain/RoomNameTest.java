package dev.parley.domain;

import static dev.parley.domain.Refusals.codeOf;
import static dev.parley.domain.Refusals.messageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RoomNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"lobby", "a", "Z", "0", "team.dev-1_x", "a:b", "...", "-", "_", "Private:x", "privatex",
            "users:alice", "user", "private"})
    void givenNameOfRoomCharacters_whenParsing_thenValidPublicRoomWithoutOwner(String value) {
        Validated<RoomName> parsed = RoomName.parse(value);

        assertThat(parsed.isValid()).isTrue();
        assertThat(parsed.value().value()).isEqualTo(value);
        assertThat(parsed.value().kind()).isEqualTo(RoomKind.PUBLIC);
        assertThat(parsed.value().personalOwner()).isEmpty();
    }

    @Test
    void given_private_prefix_when_asking_kind_then_private_without_owner() {
        RoomName room = RoomName.of("private:team-1");

        assertThat(room.kind()).isEqualTo(RoomKind.PRIVATE);
        assertThat(room.personalOwner()).isEmpty();
    }

    @Test
    void given_user_prefix_when_asking_kind_then_personal_owned_by_that_user() {
        RoomName room = RoomName.of("user:alice");

        assertThat(room.kind()).isEqualTo(RoomKind.PERSONAL);
        assertThat(room.personalOwner()).contains(UserId.of("alice"));
    }

    @Test
    void given_personal_room_whose_owner_looks_private_when_asking_kind_then_the_prefix_at_the_start_decides() {
        RoomName personal = RoomName.of("user:private:x");
        RoomName privateRoom = RoomName.of("private:user:x");

        assertThat(personal.kind()).isEqualTo(RoomKind.PERSONAL);
        assertThat(personal.personalOwner()).contains(UserId.of("private:x"));
        assertThat(privateRoom.kind()).isEqualTo(RoomKind.PRIVATE);
        assertThat(privateRoom.personalOwner()).isEmpty();
    }

    @Test
    void given_prefix_with_one_character_after_it_when_parsing_then_valid() {
        assertThat(RoomName.parse("private:x").isValid()).isTrue();
        assertThat(RoomName.parse("user:x").value().personalOwner()).contains(UserId.of("x"));
    }

    @Test
    void given_name_512_characters_long_when_parsing_then_valid() {
        String value = "r".repeat(512);

        assertThat(RoomName.parse(value).value().value()).isEqualTo(value);
    }

    @Test
    void given_name_513_characters_long_when_parsing_then_bad_request() {
        Validated<RoomName> parsed = RoomName.parse("r".repeat(513));

        assertThat(codeOf(parsed)).isEqualTo(Violation.MALFORMED);
        assertThat(messageOf(parsed)).contains("512");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void given_missing_name_when_parsing_then_bad_request(String value) {
        assertThat(codeOf(RoomName.parse(value))).isEqualTo(Violation.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", " lobby", "lobby ", "a/b", "a\\b", "room!", "a*", "a?", "a@b", "a#b", "a,b",
            "a+b", "a=b", "a[b]", "(a)", "a$", "tab\tin", "new\nline", "nul\u0000", "caf\u00e9", "\u00e4",
            "\uff41", "emoji\uD83D\uDE00", "a\u00a0b", "\u0000", "\""})
    void givenNameWithCharacterOutsideTheRoomAlphabet_whenParsing_thenBadRequest(String value) {
        Validated<RoomName> parsed = RoomName.parse(value);

        assertThat(codeOf(parsed)).isEqualTo(Violation.MALFORMED);
        assertThat(messageOf(parsed)).contains("A-Z a-z 0-9 _ . : -");
    }

    @ParameterizedTest
    @ValueSource(strings = {"private:", "user:"})
    void given_bare_prefix_when_parsing_then_bad_request(String value) {
        Validated<RoomName> parsed = RoomName.parse(value);

        assertThat(codeOf(parsed)).isEqualTo(Violation.MALFORMED);
        assertThat(messageOf(parsed)).contains(value);
    }

    @Test
    void given_invalid_name_when_constructing_then_illegal_argument_with_the_parse_message() {
        assertThatIllegalArgumentException().isThrownBy(() -> RoomName.of("a b"))
                .withMessage(messageOf(RoomName.parse("a b")));
        assertThatIllegalArgumentException().isThrownBy(() -> RoomName.of("user:"));
        assertThatIllegalArgumentException().isThrownBy(() -> new RoomName(null));
        assertThatIllegalArgumentException().isThrownBy(() -> RoomName.of("r".repeat(513)));
    }

    @Test
    void given_two_rooms_of_the_same_name_when_comparing_then_equal_and_printed_as_the_name() {
        assertThat(RoomName.of("lobby")).isEqualTo(RoomName.of("lobby")).hasSameHashCodeAs(RoomName.of("lobby"));
        assertThat(RoomName.of("lobby")).isNotEqualTo(RoomName.of("Lobby"));
        assertThat(RoomName.of("private:x")).hasToString("private:x");
    }
}
