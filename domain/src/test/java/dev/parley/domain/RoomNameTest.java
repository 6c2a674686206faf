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
    void givenPrivatePrefix_whenAskingKind_thenPrivateWithoutOwner() {
        RoomName room = RoomName.of("private:team-1");

        assertThat(room.kind()).isEqualTo(RoomKind.PRIVATE);
        assertThat(room.personalOwner()).isEmpty();
    }

    @Test
    void givenUserPrefix_whenAskingKind_thenPersonalOwnedByThatUser() {
        RoomName room = RoomName.of("user:alice");

        assertThat(room.kind()).isEqualTo(RoomKind.PERSONAL);
        assertThat(room.personalOwner()).contains(UserId.of("alice"));
    }

    @Test
    void givenPersonalRoomWhoseOwnerLooksPrivate_whenAskingKind_thenThePrefixAtTheStartDecides() {
        RoomName personal = RoomName.of("user:private:x");
        RoomName privateRoom = RoomName.of("private:user:x");

        assertThat(personal.kind()).isEqualTo(RoomKind.PERSONAL);
        assertThat(personal.personalOwner()).contains(UserId.of("private:x"));
        assertThat(privateRoom.kind()).isEqualTo(RoomKind.PRIVATE);
        assertThat(privateRoom.personalOwner()).isEmpty();
    }

    @Test
    void givenPrefixWithOneCharacterAfterIt_whenParsing_thenValid() {
        assertThat(RoomName.parse("private:x").isValid()).isTrue();
        assertThat(RoomName.parse("user:x").value().personalOwner()).contains(UserId.of("x"));
    }

    @Test
    void givenName128CharactersLong_whenParsing_thenValid() {
        String value = "r".repeat(128);

        assertThat(RoomName.parse(value).value().value()).isEqualTo(value);
    }

    @Test
    void givenName129CharactersLong_whenParsing_thenBadRequest() {
        Validated<RoomName> parsed = RoomName.parse("r".repeat(129));

        assertThat(codeOf(parsed)).isEqualTo(Violation.MALFORMED);
        assertThat(messageOf(parsed)).contains("128");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void givenMissingName_whenParsing_thenBadRequest(String value) {
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
    void givenBarePrefix_whenParsing_thenBadRequest(String value) {
        Validated<RoomName> parsed = RoomName.parse(value);

        assertThat(codeOf(parsed)).isEqualTo(Violation.MALFORMED);
        assertThat(messageOf(parsed)).contains(value);
    }

    @Test
    void givenInvalidName_whenConstructing_thenIllegalArgumentWithTheParseMessage() {
        assertThatIllegalArgumentException().isThrownBy(() -> RoomName.of("a b"))
                .withMessage(messageOf(RoomName.parse("a b")));
        assertThatIllegalArgumentException().isThrownBy(() -> RoomName.of("user:"));
        assertThatIllegalArgumentException().isThrownBy(() -> new RoomName(null));
        assertThatIllegalArgumentException().isThrownBy(() -> RoomName.of("r".repeat(129)));
    }

    @Test
    void givenTwoRoomsOfTheSameName_whenComparing_thenEqualAndPrintedAsTheName() {
        assertThat(RoomName.of("lobby")).isEqualTo(RoomName.of("lobby")).hasSameHashCodeAs(RoomName.of("lobby"));
        assertThat(RoomName.of("lobby")).isNotEqualTo(RoomName.of("Lobby"));
        assertThat(RoomName.of("private:x")).hasToString("private:x");
    }
}
