package org.stamkund.server.contacts;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import org.stamkund.engine.contacts.Person;
import org.stamkund.engine.contacts.PersonRegister;
import org.stamkund.engine.contacts.PersonalIdentityNumber;

/**
 * A register that knows everyone: it derives a plausible, always identical person from the number
 * asked for. For demos and tests; replace it with a real register bean in production.
 */
class DemoPersonRegister implements PersonRegister {

  private static final List<String> FIRST_NAMES_FEMALE =
      List.of("Anna", "Eva", "Maria", "Karin", "Sara", "Elin", "Aino", "Helmi");
  private static final List<String> FIRST_NAMES_MALE =
      List.of("Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Eino", "Väinö");
  private static final List<String> LAST_NAMES =
      List.of("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Virtanen", "Korhonen");
  private static final List<String> STREETS =
      List.of("Storgatan", "Drottninggatan", "Kungsgatan", "Skolgatan", "Hämeenkatu");
  private static final List<String> CITIES = List.of("Stockholm", "Göteborg", "Malmö", "Uppsala");

  @Override
  public Optional<Person> byPersonalIdentityNumber(PersonalIdentityNumber pin) {
    long h = hash(pin.value());
    boolean male;
    if (pin.country().equals("SE")) {
      male = (pin.value().charAt(10) - '0') % 2 == 1;
    } else {
      male = (pin.value().charAt(9) - '0') % 2 == 1;
    }
    return Optional.of(person(h, male, pin.country(), null, pin.value(), pin.birthDate()));
  }

  @Override
  public Optional<Person> byPhoneNumber(String e164) {
    long h = hash(e164);
    String country = e164.startsWith("+358") ? "FI" : "SE";
    return Optional.of(person(h, h % 2 == 1, country, e164, null, null));
  }

  private static Person person(
      long h,
      boolean male,
      String country,
      @org.jspecify.annotations.Nullable String phone,
      @org.jspecify.annotations.Nullable String pin,
      java.time.@org.jspecify.annotations.Nullable LocalDate birth) {
    List<String> first = male ? FIRST_NAMES_MALE : FIRST_NAMES_FEMALE;
    return new Person(
        pick(first, h),
        pick(LAST_NAMES, h >>> 8),
        null,
        pick(STREETS, h >>> 16) + " " + (1 + (h >>> 24) % 98),
        String.valueOf(10000 + (h >>> 32) % 89999),
        pick(CITIES, h >>> 40),
        country,
        birth,
        male ? "Male" : "Female",
        phone,
        pin);
  }

  private static String pick(List<String> list, long h) {
    return list.get((int) Math.floorMod(h, (long) list.size()));
  }

  private static long hash(String value) {
    CRC32 crc = new CRC32();
    crc.update(value.getBytes(StandardCharsets.UTF_8));
    long a = crc.getValue();
    crc.update(new byte[] {1, 2, 3});
    return (a << 32) ^ crc.getValue();
  }
}
