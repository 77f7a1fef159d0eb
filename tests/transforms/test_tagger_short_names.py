"""Short names news uses for countries beyond CLDR's formal ones ("ABD", "EE.UU.", "USA" in
French, "한국", traditional Chinese 美國): each makes its country a focus country. Every text here
was written for these tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("language", "text", "country"),
    [
        ("tr", "ABD ile yeni ticaret görüşmeleri pazartesi başlayacak.", "us"),
        ("es", "EE.UU. anunció nuevas conversaciones comerciales para el lunes.", "us"),
        ("pt", "Os EUA anunciaram novas conversas comerciais para segunda-feira.", "us"),
        ("fr", "Les USA annoncent de nouvelles discussions commerciales lundi.", "us"),
        ("ro", "SUA au anunțat noi discuții comerciale pentru luni.", "us"),
        ("el", "Οι ΗΠΑ ανακοίνωσαν νέες εμπορικές συνομιλίες για τη Δευτέρα.", "us"),
        ("hr", "SAD je najavio nove trgovinske razgovore za ponedjeljak.", "us"),
        ("zh", "美國宣布週一舉行新一輪貿易談判。", "us"),
        ("fr", "La Grande-Bretagne annonce de nouvelles discussions commerciales lundi.", "gb"),
        ("tr", "İngiltere yeni ticaret görüşmelerini pazartesi başlatacak.", "gb"),
        ("cs", "Velká Británie oznámila nové obchodní rozhovory na pondělí.", "gb"),
        ("ko", "한국 정부는 월요일에 새로운 무역 협상을 시작한다고 밝혔다.", "kr"),
        ("es", "Arabia Saudita anunció nuevas conversaciones comerciales para el lunes.", "sa"),
        ("tr", "BAE yeni ticaret görüşmelerini pazartesi başlatacak.", "ae"),
        ("pl", "Delegacja Sił Zbrojnych RP przybyła do Wilna.", "pl"),
        ("cs", "Velvyslanec ČR jednal v pondělí v Bratislavě.", "cz"),
        ("fr", "La RDC accuse son voisin de soutenir les rebelles.", "cd"),
        ("hr", "Predsjedništvo BiH sastalo se u ponedjeljak.", "ba"),
    ],
)
def test_short_names_make_focus_countries(tagger, language, text, country):
    assert country in tagger.tag(text, None, language).countries


def test_capital_only_forms_need_capitals(tagger):
    # "eau" is water in French and "sua" a possessive in Portuguese: only "EAU", "SUA" count.
    assert "ae" not in tagger.tag("Le prix de l'eau augmente encore à Lyon.", None, "fr").countries
