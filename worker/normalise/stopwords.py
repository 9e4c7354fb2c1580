"""Stop words per language: prose density for the line classifier, language detection."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split()) for lang, words in {
        "en": "the of and to in is that for it was on with he as be by at from his an have "
              "are this not but had they has were which she her their been would said will "
              "who its after when more than also about there into after",
        "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine "
              "als auch es an werden aus er hat dass sie nach wird bei einer um am sind noch "
              "wie einem über so zum war haben nur oder aber vor zur bis mehr durch",
        "fr": "le la les de des et du un une en est que qui dans pour pas au sur avec il "
              "elle se ce sont ont par plus aux été son sa ses mais ou cette leur nous vous "
              "lui était avait comme",
        "es": "el la los las de del y en que un una es por con para se no al lo como más "
              "pero sus su le ha fue este esta entre cuando muy sin sobre también hasta hay "
              "donde desde todo nos durante",
        "it": "il la di che e un una per non del della dei delle con sono è si le gli nel "
              "nella alla al da lo ha anche come ma più questo questa essere stato era",
        "pt": "o a os as de do da dos das e em um uma que para com não por mais se na no "
              "ao foi como mas seu sua ele ela são pelo pela também já está entre",
        "nl": "de het een en van in is dat op te zijn met voor niet aan er die ook als bij "
              "door om maar was wordt naar heeft nog dan worden uit over hij zij",
        "sv": "och att det som en på är av för med till den har inte om ett han men var "
              "jag sig från vi så kan när hade skulle eller också efter",
        "pl": "i w na z że się do nie jest to jak od po za o przez co ale dla tak jego już "
              "oraz był są może także które który która",
        "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke karena "
              "ada oleh sudah saat bisa mereka kami",
        "tr": "ve bir bu da de için ile olarak çok daha gibi olan sonra en kadar ama her "
              "değil ancak göre şu",
        # scripts without these words would otherwise show no prose at all
        "ru": "и в не на что с по как это из за от для к о у же все но его она они был "
              "было были также уже при после или только ещё если так до а бы их мы вы",
        "ar": "في من على إلى أن عن مع هذا هذه التي الذي كان قد ما لا أو بين بعد كما ذلك "
              "إن خلال حيث عند وفي ومن كانت أي منذ",
        "he": "של את על עם לא זה כי גם הוא היא הם או אם כל אבל רק מה יש אחרי לפני בין",
    }.items()
}
# Function words of more languages, for prose density only (language detection keeps to the
# list above: these overlap with it and with each other). Turkish postpositions count too: the
# language glues most of its particles to words.
_PROSE_ONLY = (
    "fi: ja on ei että se oli myös kun mutta tai ovat hän jo vielä sekä joka jotka mukaan kuin "
    "sen nyt ole olisi voi vain koska niin tämä jos noin jälkeen aikana",
    "da: og er det at en til på som med af for ikke den har de var men et om også fra kan sig "
    "vil skal blev efter der så eller når ved hvor andre over",
    "no: og er det at en til på som med av for ikke den har de var men et om også fra kan seg "
    "vil skal ble etter der så eller når ved hvor",
    "cs: a se na je v že to s z do o jako ale by pro od po k ve za jsou byl bylo byla které "
    "který která také už jen při již podle mezi před jeho než nebo",
    "sk: a sa na je v že to s z do o ako ale by pre od po k vo za sú bol bolo bola ktoré "
    "ktorý ktorá tiež už len pri podľa medzi pred jeho než alebo",
    "ro: și şi în de la cu a pe care că nu un o din să se mai au fost este sunt pentru ca dar "
    "fi iar după acest această ale al unei unui despre până",
    "hu: a az és hogy nem is egy meg de van volt csak már mint még kell lesz ez azt ha vagy "
    "után szerint pedig között amely aki",
    "hr: i u je na da se za su od sa kao ali iz to koji koja koje bio bila što nije će",
    "tr: ile ise ayrıca üzere tarafından boyunca ardından nedeniyle rağmen sırasında karşı "
    "hem ya veya ki olduğu olduğunu",
    "id: adalah sebagai atau telah juga bahwa para tersebut masih lebih dapat",
    "hi: के में की है और से का को ने पर एक यह भी कि इस लिए था थी थे हैं हो किया गया कहा "
    "नहीं तो वह जो साथ बाद तक अपने",
    "el: και το η ο να του της που με σε τα την τον οι για από είναι στο στην θα δεν των "
    "στη στα ότι ως μετά",
    "vi: và của là có được trong cho với các những một này đã không người để khi từ theo "
    "tại về đến cũng như sẽ",
    "uk: і й та в у на що з із до за від для як це не але його її їх вже також після або "
    "який яка які було був була були при під через між щодо",
    "bg: и в на за с от да не се че е са по като това той тя те но към след при или който "
    "която които бе беше също",
    "sr: и у је на да се за су од са као али из то који која које био била што није ће",
    "sl: in je v na da se za so z s od kot ki ne pa tudi po pri iz bo bil bila bilo ter "
    "ali še že med",
    "lt: ir yra kad su į iš per bet ne jau taip pat kaip buvo bus po prie tai jis ji jie "
    "nuo apie arba dėl kuris kuri",
    "lv: un ir ka ar uz no par arī bet kā tas tā to bija būs pēc pie vai kas kurš kura "
    "jau tikai savu viņš",
    "et: ja on et ei see oli ka kui aga või nagu ning pärast mis kes kus siis veel tema "
    "nende seda oma juba",
    "ca: el la els les de del i a en que un una és per amb no al ho com més però seu seva "
    "va han ha també entre sobre",
    "gl: o a os as de do da dos das e en que un unha é por con non para se na no ao foi "
    "como pero seu súa tamén xa",
    "eu: eta da du dira ere baina bat hori hau izan zen zuen dute egin behar ez bere "
    "beste oso",
    "sw: na ya wa kwa katika ni la za cha kuwa hiyo huo hilo lakini pia kama hii baada "
    "kutoka wakati amesema alisema",
    "ms: yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke kerana ada "
    "oleh sudah telah bahawa adalah sebagai atau daripada kepada sehingga hingga iaitu serta "
    "bagi mulai antara turut boleh mereka setiap selepas beliau sejak setelah",
    "tl: ang ng sa na mga at ay para hindi si ni kay nang ito iyon din rin pa ayon may "
    "mula",
    "bn: ও এবং এ করে হয় থেকে এই জন্য না তার করা হবে হয়েছে বলে যে আর সঙ্গে পর কাছে "
    "নিয়ে জানান বলেন একটি এক তিনি তারা এর",
    "ta: மற்றும் ஒரு இந்த அந்த என்று என்ற உள்ள போது பின்னர் மேலும் இது அது என அவர் "
    "அவர்கள் இருந்து வரும் செய்து என்றும் உள்ளது",
    "ur: کے کی میں ہے اور سے کو نے پر ایک یہ بھی کہ اس لیے تھا تھی تھے ہیں ہو کیا گیا "
    "کہا نہیں وہ جو ساتھ بعد تک اپنے",
    "fa: و در به از که این را با است برای آن یک تا بر هم نیز شد شده می کرد",
    "am: እና ላይ ነው ውስጥ ጋር ወደ ግን ደግሞ ይህ ይህን እንደ ሲሆን ነበር ናቸው ገልጸዋል ብለዋል",
)
ALL_STOPWORDS: frozenset[str] = frozenset().union(
    *STOPWORDS.values(), *(line.split(":", 1)[1].split() for line in _PROSE_ONLY))
