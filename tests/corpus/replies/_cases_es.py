# ruff: noqa: E501
"""Spanish cases (Spain, Mexico, Argentina)."""

from __future__ import annotations

import datetime as dt

from tests.corpus.replies._mail import (
    Corpus,
    alternative,
    assemble,
    date_header,
    date_header_nopad,
    ew,
    exchange_auto,
    exchange_ndr,
    hexid,
    msgid,
    mx_trace,
    our_raw,
    ours,
    outlook_ooo,
    reply,
    simple,
    text_to_html,
    wrap_html,
)

D = dt.datetime
LUCIA = "=?utf-8?Q?Luc=C3=ADa_Romero?= <lucia.romero@outreach.example.com>"


def ooo(c: Corpus) -> None:
    s = ours(
        "es",
        "Javier Martín",
        "javier.martin@martin-ingenieria.example.es",
        D(2026, 12, 22, 9, 0),
        "Martín Ingeniería",
    )
    date = date_header(2026, 12, 22, 9, 1, "+0100", 11)
    hs = exchange_auto(
        ew("Javier Martín", "utf-8") + " <javier.martin@martin-ingenieria.example.es>",
        LUCIA,
        "Respuesta automática: " + s.subject,
        date,
        "es-ooo-1",
        s.message_id,
        "es-ES",
    )
    text = "Hola,\n\nEstoy de vacaciones y estaré de vuelta el 8 de enero. Para cualquier\nurgencia, contacta con oficina@martin-ingenieria.example.es.\n\nUn saludo,\nJavier Martín"
    c.add(
        "es_ooo_exchange_de_vuelta.eml",
        "out_of_office",
        "es",
        outlook_ooo(hs, text, "es-ooo-1"),
        "2027-01-08",
        "'de vuelta el 8 de enero' in December: next year",
    )

    s = ours(
        "es",
        "Carmen López",
        "carmen.lopez@lopez-abogados.example.es",
        D(2026, 12, 23, 9, 0),
        "López Abogados",
    )
    date = date_header(2026, 12, 23, 9, 0, "+0100", 37)
    hs = exchange_auto(
        ew("López, Carmen", "iso-8859-1", upper=True) + " <carmen.lopez@lopez-abogados.example.es>",
        LUCIA,
        "Respuesta automática: " + s.subject,
        date,
        "es-ooo-2",
        s.message_id,
        "es-ES",
    )
    text = "Estaré ausente hasta el 6 de enero incluido. Su mensaje no será reenviado.\n\nAtentamente,\nCarmen López"
    c.add(
        "es_ooo_hasta_incluido.eml",
        "out_of_office",
        "es",
        simple(hs, text, charset="iso-8859-1", cte="quoted-printable", quote_charset=True),
        "2027-01-07",
        "'hasta el 6 de enero incluido': next day",
    )

    s = ours(
        "es",
        "Pablo Sánchez",
        "pablo.sanchez@sanchez-logistica.example.es",
        D(2026, 12, 21, 9, 0),
        "Sánchez Logística",
    )
    date = date_header(2026, 12, 21, 9, 0, "+0100", 2)
    hs = [
        *mx_trace("smtp.sanchez-logistica.example.es", date, "192.0.2.140", return_path="<>"),
        ("Date", date),
        ("From", ew("Pablo Sánchez", "utf-8") + " <pablo.sanchez@sanchez-logistica.example.es>"),
        ("To", "lucia.romero@outreach.example.com"),
        ("Subject", ew("Fuera de la oficina", "utf-8")),
        ("Message-ID", msgid("other", "es-ooo-3", "sanchez-logistica.example.es")),
        ("Auto-Submitted", "auto-replied"),
        ("X-Autoreply", "yes"),
    ]
    text = "Estaré fuera del 22 de diciembre al 6 de enero, ambos inclusive, sin acceso\nal correo.\n\nPablo"
    c.add(
        "es_ooo_rango_del_al.eml",
        "out_of_office",
        "es",
        simple(hs, text, charset="utf-8", cte="8bit"),
        "2027-01-07",
        "range 'del 22 de diciembre al 6 de enero': last day + 1",
    )

    s = ours(
        "es",
        "Lucía Fernández",
        "lucia.fernandez@fernandez-textil.example.es",
        D(2026, 12, 23, 9, 0),
        "Fernández Textil",
    )
    date = date_header(2026, 12, 23, 9, 2, "+0100", 14)
    hs = exchange_auto(
        ew("Lucía Fernández", "utf-8") + " <lucia.fernandez@fernandez-textil.example.es>",
        LUCIA,
        "Respuesta automática: " + s.subject,
        date,
        "es-ooo-4",
        s.message_id,
        "es-ES",
    )
    text = "Gracias por su correo. Me reincorporo el 11/01. Mientras tanto puede\nescribir a pedidos@fernandez-textil.example.es."
    c.add(
        "es_ooo_numerico.eml",
        "out_of_office",
        "es",
        outlook_ooo(hs, text, "es-ooo-4", charset="windows-1252"),
        "2027-01-11",
        "numeric day-first '11/01', 'me reincorporo'",
    )

    s = ours(
        "es",
        "Diego Torres",
        "diego.torres@torres-digital.example.es",
        D(2026, 12, 10, 9, 0),
        "Torres Digital",
    )
    date = date_header(2026, 12, 10, 9, 0, "+0100", 48)
    hs = exchange_auto(
        "Diego Torres <diego.torres@torres-digital.example.es>",
        LUCIA,
        "Respuesta automática: " + s.subject,
        date,
        "es-ooo-5",
        s.message_id,
        "es-ES",
    )
    text = "Estoy en una feria esta semana, vuelvo el próximo lunes.\nDiego"
    c.add(
        "es_ooo_proximo_lunes.eml",
        "out_of_office",
        "es",
        outlook_ooo(hs, text, "es-ooo-5"),
        "2026-12-14",
        "relative 'el próximo lunes' after Thu 10 Dec",
    )

    s = ours(
        "es",
        "Marta Ruiz",
        "marta.ruiz@ruiz-seguros.example.es",
        D(2026, 12, 4, 9, 0),
        "Ruiz Seguros",
    )
    date = date_header(2026, 12, 4, 9, 0, "+0100", 6)
    hs = exchange_auto(
        "Marta Ruiz <marta.ruiz@ruiz-seguros.example.es>",
        LUCIA,
        "Respuesta automática: " + s.subject,
        date,
        "es-ooo-6",
        s.message_id,
        "es-ES",
    )
    text = (
        "En este momento no me encuentro en la oficina. Responderé a su mensaje lo\nantes posible."
    )
    c.add(
        "es_ooo_sin_fecha.eml",
        "out_of_office",
        "es",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        None,
        "no date",
    )

    s = ours(
        "es",
        "Alejandro Herrera",
        "aherrera@herrera-grupo.example.mx",
        D(2026, 12, 18, 10, 0),
        "Grupo Herrera",
    )
    date = date_header(2026, 12, 18, 10, 0, "-0600", 23)
    hs = exchange_auto(
        "Alejandro Herrera <aherrera@herrera-grupo.example.mx>",
        LUCIA,
        "Respuesta automática: " + s.subject,
        date,
        "es-ooo-7",
        s.message_id,
        "es-MX",
    )
    text = "Estaré fuera de la oficina hasta el lunes 4 de enero. Para asuntos urgentes\nllame al +52 55 5555 0100.\n\nI will be out of the office until Monday, January 4. For urgent matters\nplease call +52 55 5555 0100.\n\nAlejandro Herrera"
    c.add(
        "es_ooo_bilingue_es_en.eml",
        "out_of_office",
        "es",
        outlook_ooo(hs, text, "es-ooo-7"),
        "2027-01-04",
        "bilingual es/en (Mexico, -0600 offset but not US English)",
    )

    s = ours(
        "es",
        "Elena Navarro",
        "elena.navarro@navarro-arquitectos.example.es",
        D(2026, 12, 28, 9, 0),
        "Navarro Arquitectos",
    )
    date = date_header(2026, 12, 28, 9, 4, "+0100", 0)
    hs = [
        ("Date", date),
        ("From", "Elena Navarro <elena.navarro@navarro-arquitectos.example.es>"),
        ("To", LUCIA),
        ("Subject", "RE: " + ew(s.subject, "utf-8")),
        ("Message-ID", msgid("other", "es-ooo-8", "navarro-arquitectos.example.es")),
    ]
    text = "Hola,\n\nestoy de vacaciones hasta el 7 de enero.\n\nUn saludo\nElena"
    c.add(
        "es_ooo_sin_cabeceras.eml",
        "out_of_office",
        "es",
        simple(hs, text, charset="utf-8", cte="7bit"),
        "2027-01-07",
        "no automation headers; 'hasta el 7 de enero' = back on 7",
    )

    s = ours(
        "es",
        "Raúl Gil",
        "raul.gil@gil-distribuciones.example.es",
        D(2026, 12, 21, 9, 0),
        "Gil Distribuciones",
    )
    date = date_header(2026, 12, 21, 9, 0, "+0100", 55)
    hs = exchange_auto(
        ew("Raúl Gil", "utf-8") + " <raul.gil@gil-distribuciones.example.es>",
        LUCIA,
        "Respuesta automática: " + s.subject,
        date,
        "es-ooo-9",
        s.message_id,
        "es-ES",
    )
    text = "Buenos días:\n\nLa oficina permanecerá cerrada los días 24, 25 y 31 de diciembre y 1 de\nenero. Me incorporo el lunes 11 de enero. Los pedidos recibidos a partir del\n18 de diciembre se servirán desde el 7 de enero.\n\nSaludos,\nRaúl Gil"
    c.add(
        "es_ooo_varias_fechas.eml",
        "out_of_office",
        "es",
        outlook_ooo(hs, text, "es-ooo-9", crlf=True),
        "2027-01-11",
        "several dates; 'me incorporo el lunes 11 de enero' is the return",
    )

    s = ours(
        "es",
        "Sergio Molina",
        "sergio.molina@molina-talleres.example.es",
        D(2026, 12, 9, 9, 0),
        "Talleres Molina",
    )
    date = date_header(2026, 12, 9, 9, 0, "+0100", 19)
    hs = exchange_auto(
        "Sergio Molina <sergio.molina@molina-talleres.example.es>",
        LUCIA,
        "Respuesta automática: " + s.subject,
        date,
        "es-ooo-10",
        s.message_id,
        "es-ES",
    )
    text = "Me encuentro de baja médica. Para cualquier consulta, escriba a\ntaller@molina-talleres.example.es."
    c.add(
        "es_ooo_baja_medica.eml",
        "out_of_office",
        "es",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        None,
        "'de baja médica' = sick leave, not 'dar de baja' (unsubscribe)",
    )

    s = ours(
        "es",
        "Valentina Castro",
        "vcastro@castro-estudio.example.ar",
        D(2026, 11, 16, 9, 0),
        "Castro Estudio",
    )
    date = date_header(2026, 11, 16, 9, 0, "-0300", 30)
    hs = [
        ("MIME-Version", "1.0"),
        ("Auto-Submitted", "auto-replied"),
        ("Date", date),
        ("Message-ID", msgid("gmail", "es-ooo-11")),
        ("Subject", "Re: " + ew(s.subject, "utf-8")),
        ("From", "Valentina Castro <vcastro@castro-estudio.example.ar>"),
        ("To", "lucia.romero@outreach.example.com"),
    ]
    text = "¡Hola! Estoy de licencia, vuelvo en dos semanas. Cualquier cosa escribile a\nhola@castro-estudio.example.ar.\n\nVale\n"
    c.add(
        "es_ooo_dos_semanas.eml",
        "out_of_office",
        "es",
        alternative(
            hs,
            text,
            f'<div dir="ltr">{text_to_html(text)}</div>\n',
            boundary="000000000000" + hexid("es11", 12),
        ),
        "2026-11-30",
        "Argentina, relative 'vuelvo en dos semanas' = Date + 14",
    )


def auto(c: Corpus) -> None:
    date = date_header(2026, 12, 3, 11, 0, "+0100", 4)
    hs = [
        ("Date", date),
        ("From", "Soporte Nubia <soporte@nubia-cloud.example.es>"),
        ("To", "lucia.romero@outreach.example.com"),
        ("Subject", ew("[#48213] Hemos recibido su solicitud", "utf-8")),
        ("Message-ID", "<" + hexid("es-a1", 20) + "@tickets.nubia-cloud.example.es>"),
        ("Auto-Submitted", "auto-generated"),
        ("X-Mailer", "Freshdesk"),
    ]
    text = "Estimado/a cliente:\n\nHemos recibido su solicitud (#48213). Uno de nuestros agentes le responderá\nen un plazo máximo de 24 horas laborables.\n\nEquipo de Soporte de Nubia"
    c.add(
        "es_auto_ticket_recibido.eml",
        "auto_reply",
        "es",
        alternative(
            hs, text, wrap_html(text_to_html(text)), boundary="--==_mimepart_" + hexid("es-a1b", 18)
        ),
        None,
        "ticket acknowledgement",
    )

    s = ours(
        "es",
        "Francisco Ortega",
        "francisco.ortega@ortega-hermanos.example.es",
        D(2026, 12, 4, 9, 0),
        "Ortega Hermanos",
    )
    date = date_header(2026, 12, 4, 9, 0, "+0100", 28)
    hs = exchange_auto(
        "Francisco Ortega <francisco.ortega@ortega-hermanos.example.es>",
        LUCIA,
        "Respuesta automática: " + s.subject,
        date,
        "es-auto-2",
        s.message_id,
        "es-ES",
    )
    text = "Ya no trabajo en Ortega Hermanos. Para cualquier consulta escriba a\ninfo@ortega-hermanos.example.es.\n\nGracias."
    c.add(
        "es_auto_ya_no_trabaja.eml",
        "auto_reply",
        "es",
        outlook_ooo(hs, text, "es-auto-2"),
        None,
        "left the company",
    )

    s = ours(
        "es",
        "Administración",
        "admin@coop-olivar.example.es",
        D(2026, 12, 7, 9, 0),
        "Cooperativa El Olivar",
    )
    date = date_header(2026, 12, 7, 9, 0, "+0100", 9)
    hs = exchange_auto(
        ew("Administración El Olivar", "utf-8") + " <admin@coop-olivar.example.es>",
        LUCIA,
        "Respuesta automática: " + s.subject,
        date,
        "es-auto-3",
        s.message_id,
        "es-ES",
    )
    text = "Este buzón ya no se revisa. Por favor, envíe su consulta a\ncontacto@coop-olivar.example.es."
    c.add(
        "es_auto_buzon_no_revisado.eml",
        "auto_reply",
        "es",
        simple(hs, text, charset="iso-8859-1", cte="quoted-printable", quote_charset=True),
        None,
        "mailbox not monitored",
    )


def unsub(c: Corpus) -> None:
    s = ours(
        "es",
        "Antonio García",
        "antonio.garcia@garcia-reformas.example.es",
        D(2026, 12, 2, 9, 0),
        "García Reformas",
    )
    date = date_header(2026, 12, 2, 11, 0, "+0100", 3)
    raw = reply(
        "outlook",
        frm=ew("Antonio García", "utf-8") + " <antonio.garcia@garcia-reformas.example.es>",
        to=LUCIA,
        subject="RE: " + ew(s.subject, "utf-8"),
        date=date,
        seed="es-u-1",
        new="Por favor, denme de baja de su lista.\n\nAntonio García",
        sent=s,
        lang="es",
    )
    c.add(
        "es_unsub_denme_de_baja.eml",
        "unsubscribe",
        "es",
        raw,
        None,
        "Outlook 'De:/Enviado el:' block; our footer says «baja»",
    )

    s = ours(
        "es",
        "Rosa Jiménez",
        "rosa.jimenez@jimenez-farmacia.example.es",
        D(2026, 12, 3, 9, 0),
        "Farmacia Jiménez",
    )
    date = date_header(2026, 12, 3, 12, 30, "+0100", 40)
    raw = reply(
        "gmail",
        frm=ew("Rosa Jiménez", "utf-8") + " <rosa.jimenez@jimenez-farmacia.example.es>",
        to=LUCIA,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="es-u-2",
        new="BAJA",
        sent=s,
        qstyle="gmail-es",
    )
    c.add("es_unsub_baja.eml", "unsubscribe", "es", raw, None, "one word 'BAJA'")

    s = ours(
        "es",
        "Manuel Romero",
        "manuel.romero@romero-vinos.example.es",
        D(2026, 12, 4, 9, 0),
        "Vinos Romero",
    )
    date = date_header_nopad(2026, 12, 4, 20, 5, "+0100")
    raw = reply(
        "iphone",
        frm="Manuel Romero <manuel.romero@romero-vinos.example.es>",
        to=LUCIA,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="es-u-3",
        new="No estoy interesado, no me vuelvan a escribir.\n\nEnviado desde mi iPhone",
        sent=s,
        qstyle="apple-es",
    )
    c.add(
        "es_unsub_no_me_escriban.eml", "unsubscribe", "es", raw, None, "'Enviado desde mi iPhone'"
    )

    s = ours(
        "es",
        "Isabel Vega",
        "isabel.vega@vega-consultores.example.es",
        D(2026, 12, 7, 9, 0),
        "Vega Consultores",
    )
    date = date_header(2026, 12, 7, 10, 10, "+0100", 16)
    raw = reply(
        "outlook-old",
        frm="Isabel Vega <isabel.vega@vega-consultores.example.es>",
        to=LUCIA,
        subject="RE: " + ew(s.subject, "utf-8"),
        date=date,
        seed="es-u-4",
        new="Buenos días,\n\nles ruego eliminen mi dirección de su base de datos y no vuelvan a\ncontactarme.\n\nIsabel Vega",
        sent=s,
        lang="es",
        charset="windows-1252",
    )
    c.add(
        "es_unsub_eliminar_datos.eml",
        "unsubscribe",
        "es",
        raw,
        None,
        "'-----Mensaje original-----'",
    )

    s = ours(
        "es", "Héctor Díaz", "hector.diaz@diaz-motor.example.es", D(2026, 12, 9, 9, 0), "Díaz Motor"
    )
    date = date_header(2026, 12, 9, 9, 30, "+0100", 1)
    raw = reply(
        "plain",
        frm="hector.diaz@diaz-motor.example.es",
        to="lucia.romero@outreach.example.com",
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="es-u-5",
        new="Dejen de enviarme correos, gracias.",
        sent=s,
        qstyle="gmail-es",
        charset="utf-8",
        cte="8bit",
    )
    c.add("es_unsub_dejen_de_enviar.eml", "unsubscribe", "es", raw, None, "")


def human(c: Corpus) -> None:
    s = ours(
        "es",
        "Adrián Serrano",
        "adrian.serrano@serrano-media.example.es",
        D(2026, 12, 2, 9, 0),
        "Serrano Media",
    )
    date = date_header(2026, 12, 2, 17, 0, "+0100", 22)
    raw = reply(
        "gmail",
        frm=ew("Adrián Serrano", "utf-8") + " <adrian.serrano@serrano-media.example.es>",
        to=LUCIA,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="es-h-1",
        new="Hola Lucía,\n\nla semana que viene estoy fuera, llámame a partir del 14 y lo vemos.\n\nAdrián",
        sent=s,
        qstyle="gmail-es",
    )
    c.add("es_human_fuera_semana.eml", "human", "es", raw, None, "a person mentioning absence")

    s = ours(
        "es",
        "Nuria Blanco",
        "nuria.blanco@blanco-eventos.example.es",
        D(2026, 12, 3, 9, 0),
        "Blanco Eventos",
    )
    date = date_header(2026, 12, 3, 13, 0, "+0100", 5)
    raw = reply(
        "outlook",
        frm="Nuria Blanco <nuria.blanco@blanco-eventos.example.es>",
        to=LUCIA,
        subject="RE: " + ew(s.subject, "utf-8"),
        date=date,
        seed="es-h-2",
        new="¿Podéis quitar el IVA del presupuesto y mandarlo de nuevo? Lo paso a\ndirección.\n\nNuria",
        sent=s,
        lang="es",
    )
    c.add("es_human_quitar_iva.eml", "human", "es", raw, None, "'quitar' is about the quote")

    s = ours(
        "es",
        "Óscar Prieto",
        "oscar.prieto@prieto-obras.example.es",
        D(2026, 11, 23, 9, 0),
        "Prieto Obras",
    )
    date = date_header(2026, 12, 4, 9, 0, "+0100", 30)
    raw = reply(
        "gmail",
        frm=ew("Óscar Prieto", "utf-8") + " <oscar.prieto@prieto-obras.example.es>",
        to=LUCIA,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="es-h-3",
        new="Perdona la tardanza, he estado de baja dos semanas. ¿Hablamos el jueves a\nlas 10?",
        sent=s,
        qstyle="gmail-es",
    )
    c.add(
        "es_human_estuve_de_baja.eml",
        "human",
        "es",
        raw,
        None,
        "'de baja' (sick leave) in a person's reply",
    )

    s = ours(
        "es",
        "Laura Medina",
        "laura.medina@medina-retail.example.es",
        D(2026, 12, 7, 9, 0),
        "Medina Retail",
    )
    date = date_header_nopad(2026, 12, 7, 10, 15, "+0100")
    raw = reply(
        "apple",
        frm="Laura Medina <laura.medina@medina-retail.example.es>",
        to=LUCIA,
        subject="Re: " + ew(s.subject, "utf-8"),
        date=date,
        seed="es-h-4",
        new="Me interesa. ¿Tenéis casos de éxito en retail?\n\nLaura",
        sent=s,
        qstyle="apple-es",
    )
    c.add("es_human_me_interesa.eml", "human", "es", raw, None, "Apple Mail 'El ... escribió:'")

    s = ours(
        "es",
        "Jorge Cabrera",
        "jorge.cabrera@cabrera-tech.example.es",
        D(2026, 12, 9, 9, 0),
        "Cabrera Tech",
    )
    date = date_header(2026, 12, 9, 12, 0, "+0100", 45)
    raw = reply(
        "outlook",
        frm="Jorge Cabrera <jorge.cabrera@cabrera-tech.example.es>",
        to=LUCIA,
        subject="RE: " + ew(s.subject, "utf-8"),
        date=date,
        seed="es-h-5",
        new="Ahora no es buen momento, estamos cerrando el año. Escríbeme en febrero.\n\nJorge",
        sent=s,
        lang="es",
    )
    c.add(
        "es_human_escribeme_febrero.eml", "human", "es", raw, None, "not now, invites contact later"
    )


def bounces(c: Corpus) -> None:
    s = ours(
        "es", "Ramón Iglesias", "ramon.iglesias@example.es", D(2026, 12, 2, 9, 0), "Iglesias SL"
    )
    text = (
        "Error al entregar a estos destinatarios o grupos:\n\n"
        f"{s.to_addr}<mailto:{s.to_addr}>\n"
        "No se encontró la dirección de correo electrónico que escribió. Compruebe la\n"
        "dirección de correo electrónico del destinatario e intente volver a enviar\nel mensaje.\n\n"
        "Información de diagnóstico para administradores:\n\n"
        "Servidor de generación: DB9P190MB1234.EURP190.PROD.OUTLOOK.COM\n\n"
        f"{s.to_addr}\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n"
    )
    raw = exchange_ndr(
        postmaster="postmaster@example.es",
        subject_prefix="No se puede entregar:",
        s=s,
        date=date_header(2026, 12, 2, 9, 0, "+0100", 50),
        seed="es-b-1",
        loc="es-ES",
        text=text,
        status="5.1.10",
        action="failed",
        diag="550 5.1.10 RESOLVER.ADR.RecipientNotFound",
    )
    c.add("es_bounce_no_se_puede_entregar.eml", "bounce", "es", raw, None, "Spanish Exchange NDR")

    s = ours(
        "es", "Teresa Lozano", "teresa.lozano@example.com", D(2026, 12, 3, 9, 0), "Lozano Moda"
    )
    date = date_header(2026, 12, 3, 9, 0, "+0100", 7)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "Sistema de entrega de correo <MAILER-DAEMON@correo.example.com>"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", ew("Correo devuelto: buzón lleno", "utf-8")),
        ("Message-ID", msgid("mta", "es-b-2", "correo.example.com")),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=iso-8859-1"),
        ("Content-Transfer-Encoding", "8bit"),
    ]
    text = f"No se ha podido entregar su mensaje al destinatario porque su buzón está\nlleno. El servidor seguirá intentándolo durante 3 días.\n\n<{s.to_addr}>: 452 4.2.2 Mailbox full\n\n--- Cabeceras del mensaje original ---\n\n"
    c.add(
        "es_soft_buzon_lleno.eml",
        "soft_bounce",
        "es",
        assemble(hs, text.encode("iso-8859-1") + our_raw(s, headers_only=True)),
        None,
        "Spanish mailer-daemon, mailbox full 4.2.2, no DSN part",
    )

    s = ours("es", "Mario Campos", "mario.campos@example.org", D(2026, 12, 7, 9, 0), "Campos Agro")
    text = f"La entrega a estos destinatarios o grupos se ha retrasado:\n\n{s.to_addr}\n\nAsunto: {s.subject}\n\nEste mensaje aún no se ha entregado. Se seguirá intentando entregarlo.\n\nEl servidor seguirá intentando entregar este mensaje durante los próximos 1 días, 19 horas y 55 minutos. Recibirá una notificación si no es posible entregar el mensaje en ese plazo.\n"
    raw = exchange_ndr(
        postmaster="postmaster@outreach.example.com",
        subject_prefix="Entrega retrasada:",
        s=s,
        date=date_header(2026, 12, 7, 17, 0, "+0100", 5),
        seed="es-b-3",
        loc="es-ES",
        text=text,
        status="4.4.7",
        action="delayed",
        diag="400 4.4.7 Message delayed",
    )
    c.add(
        "es_soft_entrega_retrasada.eml",
        "soft_bounce",
        "es",
        raw,
        None,
        "Spanish Exchange delay notice",
    )


def build(c: Corpus) -> None:
    """All Spanish cases."""
    ooo(c)
    auto(c)
    unsub(c)
    human(c)
    bounces(c)
