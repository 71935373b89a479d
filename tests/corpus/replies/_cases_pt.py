# ruff: noqa: E501
"""Portuguese cases (Portugal and Brazil)."""

from __future__ import annotations

import datetime as dt

from tests.corpus.replies._mail import (
    Corpus,
    alternative,
    assemble,
    date_header,
    date_header_nopad,
    delivery_status,
    encode_body,
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
    report,
    simple,
    text_part,
    text_to_html,
    wrap_html,
)

D = dt.datetime
BEA = "Beatriz Costa <beatriz.costa@outreach.example.com>"


def ooo(c: Corpus) -> None:
    s = ours(
        "pt",
        "João Ferreira",
        "joao.ferreira@ferreira-engenharia.example.pt",
        D(2026, 12, 21, 9, 0),
        "Ferreira Engenharia",
    )
    date = date_header(2026, 12, 21, 9, 0, "+0000", 16)
    hs = exchange_auto(
        ew("João Ferreira", "utf-8") + " <joao.ferreira@ferreira-engenharia.example.pt>",
        BEA,
        "Resposta automática: " + s.subject,
        date,
        "pt-ooo-1",
        s.message_id,
        "pt-PT",
    )
    text = "Bom dia,\n\nEncontro-me ausente do escritório, com regresso a 4 de janeiro. Para\nassuntos urgentes contacte geral@ferreira-engenharia.example.pt.\n\nCumprimentos,\nJoão Ferreira"
    c.add(
        "pt_ooo_regresso.eml",
        "out_of_office",
        "pt",
        outlook_ooo(hs, text, "pt-ooo-1"),
        "2027-01-04",
        "pt-PT 'com regresso a 4 de janeiro'",
    )

    s = ours(
        "pt",
        "Ana Rodrigues",
        "ana.rodrigues@rodrigues-advogados.example.pt",
        D(2026, 12, 22, 9, 0),
        "Rodrigues Advogados",
    )
    date = date_header(2026, 12, 22, 9, 0, "+0000", 29)
    hs = exchange_auto(
        "Ana Rodrigues <ana.rodrigues@rodrigues-advogados.example.pt>",
        BEA,
        "Resposta automática: " + s.subject,
        date,
        "pt-ooo-2",
        s.message_id,
        "pt-PT",
    )
    text = "Estarei ausente até dia 3 de janeiro, inclusive. O seu email não será\nreencaminhado.\n\nAna Rodrigues"
    c.add(
        "pt_ooo_ate_inclusive.eml",
        "out_of_office",
        "pt",
        simple(hs, text, charset="iso-8859-1", cte="quoted-printable", quote_charset=True),
        "2027-01-04",
        "'até dia 3 de janeiro, inclusive': next day",
    )

    s = ours(
        "pt",
        "Rafael Souza",
        "rafael.souza@souza-tech.example.com.br",
        D(2026, 12, 18, 9, 0),
        "Souza Tech",
    )
    date = date_header(2026, 12, 21, 8, 0, "-0300", 7)
    hs = [
        *mx_trace("mail.souza-tech.example.com.br", date, "192.0.2.190", return_path="<>"),
        ("Date", date),
        ("From", "Rafael Souza <rafael.souza@souza-tech.example.com.br>"),
        ("To", "beatriz.costa@outreach.example.com"),
        ("Subject", ew("Férias", "utf-8")),
        ("Message-ID", msgid("other", "pt-ooo-3", "souza-tech.example.com.br")),
        ("Auto-Submitted", "auto-replied"),
    ]
    text = "Olá! Estarei de férias de 21/12 a 4/1. Em caso de urgência, fale com\nsuporte@souza-tech.example.com.br.\n\nAbraço,\nRafael"
    c.add(
        "pt_ooo_ferias_de_a.eml",
        "out_of_office",
        "pt",
        simple(hs, text, charset="utf-8", cte="8bit"),
        "2027-01-05",
        "pt-BR numeric range day-first 'de 21/12 a 4/1': last day + 1",
    )

    s = ours(
        "pt",
        "Mariana Oliveira",
        "mariana.oliveira@oliveira-marketing.example.com.br",
        D(2026, 12, 23, 9, 0),
        "Oliveira Marketing",
    )
    date = date_header(2026, 12, 23, 9, 0, "-0300", 33)
    hs = exchange_auto(
        "Mariana Oliveira <mariana.oliveira@oliveira-marketing.example.com.br>",
        BEA,
        "Resposta automática: " + s.subject,
        date,
        "pt-ooo-4",
        s.message_id,
        "pt-BR",
    )
    text = "Olá,\n\nEstou de férias até 11 de janeiro, com acesso limitado ao e-mail.\n\nMariana"
    c.add(
        "pt_ooo_ate.eml",
        "out_of_office",
        "pt",
        outlook_ooo(hs, text, "pt-ooo-4"),
        "2027-01-11",
        "'até 11 de janeiro' without 'inclusive': that day",
    )

    s = ours(
        "pt",
        "Lucas Almeida",
        "lucas.almeida@almeida-agro.example.com.br",
        D(2026, 12, 8, 9, 0),
        "Almeida Agro",
    )
    date = date_header(2026, 12, 8, 9, 0, "-0300", 10)
    hs = exchange_auto(
        "Lucas Almeida <lucas.almeida@almeida-agro.example.com.br>",
        BEA,
        "Resposta automática: " + s.subject,
        date,
        "pt-ooo-5",
        s.message_id,
        "pt-BR",
    )
    text = "Estou em viagem a trabalho. Volto na próxima segunda-feira.\nLucas"
    c.add(
        "pt_ooo_proxima_segunda.eml",
        "out_of_office",
        "pt",
        outlook_ooo(hs, text, "pt-ooo-5"),
        "2026-12-14",
        "relative 'próxima segunda-feira' after Tue 8 Dec",
    )

    s = ours(
        "pt",
        "Inês Carvalho",
        "ines.carvalho@carvalho-imobiliaria.example.pt",
        D(2026, 12, 7, 9, 0),
        "Carvalho Imobiliária",
    )
    date = date_header(2026, 12, 7, 9, 0, "+0000", 42)
    hs = exchange_auto(
        ew("Inês Carvalho", "utf-8") + " <ines.carvalho@carvalho-imobiliaria.example.pt>",
        BEA,
        "Resposta automática: " + s.subject,
        date,
        "pt-ooo-6",
        s.message_id,
        "pt-PT",
    )
    text = "Encontro-me ausente. Responderei à sua mensagem logo que possível."
    c.add(
        "pt_ooo_sem_data.eml",
        "out_of_office",
        "pt",
        simple(hs, text, charset="windows-1252", cte="quoted-printable", quote_charset=True),
        None,
        "no date",
    )

    s = ours(
        "pt",
        "Gabriel Lima",
        "gabriel.lima@lima-logistica.example.com.br",
        D(2026, 12, 22, 9, 0),
        "Lima Logística",
    )
    date = date_header(2026, 12, 22, 9, 0, "-0300", 20)
    hs = exchange_auto(
        "Gabriel Lima <gabriel.lima@lima-logistica.example.com.br>",
        BEA,
        "Resposta automática: " + s.subject,
        date,
        "pt-ooo-7",
        s.message_id,
        "pt-BR",
    )
    text = "Estarei fora do escritório até 6 de janeiro de 2027.\n\nI will be out of the office until January 6, 2027.\n\nGabriel Lima\nLima Logística Ltda."
    c.add(
        "pt_ooo_bilingue_pt_en.eml",
        "out_of_office",
        "pt",
        outlook_ooo(hs, text, "pt-ooo-7"),
        "2027-01-06",
        "bilingual pt/en (Brazil, -0300; not US English)",
    )

    s = ours(
        "pt",
        "Camila Ribeiro",
        "camila.ribeiro@ribeiro-moda.example.com.br",
        D(2026, 12, 28, 9, 0),
        "Ribeiro Moda",
    )
    date = date_header(2026, 12, 28, 9, 5, "-0300", 1)
    hs = [
        ("Date", date),
        ("From", "Camila Ribeiro <camila.ribeiro@ribeiro-moda.example.com.br>"),
        ("To", BEA),
        ("Subject", "RES: " + ew(s.subject, "utf-8")),
        ("Message-ID", msgid("other", "pt-ooo-8", "ribeiro-moda.example.com.br")),
    ]
    text = "Oi, estou de férias e retorno dia 7 de janeiro.\nBeijos, Camila\n"
    c.add(
        "pt_ooo_sem_cabecalhos.eml",
        "out_of_office",
        "pt",
        simple(hs, text, charset="utf-8", cte="base64"),
        "2027-01-07",
        "no automation headers, Brazilian Outlook 'RES:' subject",
    )

    s = ours(
        "pt",
        "Tiago Sousa",
        "tiago.sousa@sousa-metalurgica.example.pt",
        D(2026, 12, 21, 9, 0),
        "Sousa Metalúrgica",
    )
    date = date_header(2026, 12, 21, 9, 0, "+0000", 53)
    hs = exchange_auto(
        "Tiago Sousa <tiago.sousa@sousa-metalurgica.example.pt>",
        BEA,
        "Resposta automática: " + s.subject,
        date,
        "pt-ooo-9",
        s.message_id,
        "pt-PT",
    )
    text = "Bom dia,\n\nO escritório estará encerrado de 24 de dezembro a 1 de janeiro. Regresso ao\ntrabalho no dia 11 de janeiro. As encomendas feitas depois de 18 de dezembro\nserão expedidas a partir de 5 de janeiro.\n\nCumprimentos,\nTiago Sousa"
    c.add(
        "pt_ooo_varias_datas.eml",
        "out_of_office",
        "pt",
        outlook_ooo(hs, text, "pt-ooo-9", crlf=True),
        "2027-01-11",
        "several dates; 'Regresso ao trabalho no dia 11 de janeiro' is the return",
    )

    s = ours(
        "pt",
        "Patrícia Gomes",
        "patricia.gomes@gomes-saude.example.com.br",
        D(2026, 11, 25, 9, 0),
        "Gomes Saúde",
    )
    date = date_header(2026, 11, 25, 9, 0, "-0300", 24)
    hs = exchange_auto(
        ew("Patrícia Gomes", "utf-8") + " <patricia.gomes@gomes-saude.example.com.br>",
        BEA,
        "Resposta automática: " + s.subject,
        date,
        "pt-ooo-10",
        s.message_id,
        "pt-BR",
    )
    text = "Estou de licença-maternidade e retorno em março de 2027. Neste período,\nfale com contato@gomes-saude.example.com.br."
    c.add(
        "pt_ooo_licenca_mes.eml",
        "out_of_office",
        "pt",
        simple(hs, text, charset="utf-8", cte="quoted-printable"),
        "2027-03-01",
        "month only: first day of the month",
    )


def auto(c: Corpus) -> None:
    date = date_header(2026, 12, 3, 10, 0, "-0300", 8)
    hs = [
        ("Date", date),
        ("From", "Central de Atendimento Ipê <atendimento@ipe-servicos.example.com.br>"),
        ("To", "beatriz.costa@outreach.example.com"),
        ("Subject", ew("Recebemos sua solicitação - Chamado nº 77120", "utf-8")),
        ("Message-ID", "<" + hexid("pt-a1", 24) + "@atendimento.ipe-servicos.example.com.br>"),
        ("Auto-Submitted", "auto-generated"),
    ]
    text = "Olá,\n\nRecebemos sua solicitação. Número do chamado: 77120. Responderemos em até\n48 horas úteis.\n\nEsta é uma mensagem automática, por favor não responda."
    c.add(
        "pt_auto_chamado.eml",
        "auto_reply",
        "pt",
        alternative(
            hs, text, wrap_html(text_to_html(text)), boundary="----=_Part_" + hexid("pt-a1b", 12)
        ),
        None,
        "ticket acknowledgement; raw UTF-8 (unencoded) From display name",
    )

    s = ours(
        "pt",
        "Bruno Martins",
        "bruno.martins@martins-construcoes.example.pt",
        D(2026, 12, 4, 9, 0),
        "Martins Construções",
    )
    date = date_header(2026, 12, 4, 9, 0, "+0000", 39)
    hs = exchange_auto(
        "Bruno Martins <bruno.martins@martins-construcoes.example.pt>",
        BEA,
        "Resposta automática: " + s.subject,
        date,
        "pt-auto-2",
        s.message_id,
        "pt-PT",
    )
    text = "Já não faço parte da equipa da Martins Construções. Por favor contacte\ngeral@martins-construcoes.example.pt."
    c.add(
        "pt_auto_ja_nao_faz_parte.eml",
        "auto_reply",
        "pt",
        outlook_ooo(hs, text, "pt-auto-2"),
        None,
        "left the company",
    )

    s = ours(
        "pt", "Geral", "geral@quinta-do-vale.example.pt", D(2026, 12, 7, 9, 0), "Quinta do Vale"
    )
    date = date_header(2026, 12, 7, 9, 0, "+0000", 12)
    hs = exchange_auto(
        "Quinta do Vale <geral@quinta-do-vale.example.pt>",
        BEA,
        "Resposta automática: " + s.subject,
        date,
        "pt-auto-3",
        s.message_id,
        "pt-PT",
    )
    text = "Esta caixa de correio não é monitorizada. Envie a sua mensagem para\nreservas@quinta-do-vale.example.pt."
    c.add(
        "pt_auto_caixa_nao_monitorizada.eml",
        "auto_reply",
        "pt",
        simple(hs, text, charset="iso-8859-15", cte="quoted-printable", quote_charset=True),
        None,
        "mailbox not monitored",
    )


def unsub(c: Corpus) -> None:
    s = ours(
        "pt",
        "Felipe Araújo",
        "felipe.araujo@araujo-contabil.example.com.br",
        D(2026, 12, 2, 9, 0),
        "Araújo Contábil",
    )
    date = date_header(2026, 12, 2, 11, 0, "-0300", 4)
    raw = reply(
        "gmail",
        frm=ew("Felipe Araújo", "utf-8") + " <felipe.araujo@araujo-contabil.example.com.br>",
        to=BEA,
        subject="Re: " + s.subject,
        date=date,
        seed="pt-u-1",
        new="Descadastrar",
        sent=s,
        qstyle="gmail-pt",
    )
    c.add(
        "pt_unsub_descadastrar.eml",
        "unsubscribe",
        "pt",
        raw,
        None,
        "one word, same as our quoted footer",
    )

    s = ours(
        "pt",
        "Juliana Pereira",
        "juliana.pereira@pereira-eventos.example.com.br",
        D(2026, 12, 3, 9, 0),
        "Pereira Eventos",
    )
    date = date_header(2026, 12, 3, 14, 0, "-0300", 46)
    raw = reply(
        "outlook",
        frm="Juliana Pereira <juliana.pereira@pereira-eventos.example.com.br>",
        to=BEA,
        subject="RES: " + s.subject,
        date=date,
        seed="pt-u-2",
        new="Por favor, me remova da sua lista.\n\nJuliana",
        sent=s,
        lang="pt",
    )
    c.add("pt_unsub_me_remova.eml", "unsubscribe", "pt", raw, None, "Outlook 'De:/Enviado:' block")

    s = ours(
        "pt",
        "Rui Fernandes",
        "rui.fernandes@fernandes-vinhos.example.pt",
        D(2026, 12, 4, 9, 0),
        "Fernandes Vinhos",
    )
    date = date_header_nopad(2026, 12, 4, 20, 0, "+0000")
    raw = reply(
        "iphone",
        frm="Rui Fernandes <rui.fernandes@fernandes-vinhos.example.pt>",
        to=BEA,
        subject="Re: " + s.subject,
        date=date,
        seed="pt-u-3",
        new="Não estou interessado, por favor não me contacte mais.\n\nEnviado do meu iPhone",
        sent=s,
        qstyle="apple-pt",
    )
    c.add("pt_unsub_nao_contacte.eml", "unsubscribe", "pt", raw, None, "'Enviado do meu iPhone'")

    s = ours(
        "pt",
        "Eduardo Nunes",
        "eduardo.nunes@nunes-auto.example.com.br",
        D(2026, 12, 7, 9, 0),
        "Nunes Auto",
    )
    date = date_header(2026, 12, 7, 9, 30, "-0300", 19)
    raw = reply(
        "outlook-old",
        frm="Eduardo Nunes <eduardo.nunes@nunes-auto.example.com.br>",
        to=BEA,
        subject="RES: " + s.subject,
        date=date,
        seed="pt-u-4",
        new="Parem de me enviar e-mails.",
        sent=s,
        lang="pt",
        charset="windows-1252",
    )
    c.add("pt_unsub_parem.eml", "unsubscribe", "pt", raw, None, "'-----Mensagem original-----'")


def human(c: Corpus) -> None:
    s = ours(
        "pt",
        "Thiago Barbosa",
        "thiago.barbosa@barbosa-digital.example.com.br",
        D(2026, 12, 2, 9, 0),
        "Barbosa Digital",
    )
    date = date_header(2026, 12, 2, 17, 0, "-0300", 3)
    raw = reply(
        "gmail",
        frm="Thiago Barbosa <thiago.barbosa@barbosa-digital.example.com.br>",
        to=BEA,
        subject="Re: " + s.subject,
        date=date,
        seed="pt-h-1",
        new="Oi Beatriz,\n\nsemana que vem estou fora, me liga depois do dia 14.\n\nThiago",
        sent=s,
        qstyle="gmail-pt",
        raw8=True,
    )
    c.add(
        "pt_human_fora_semana.eml",
        "human",
        "pt",
        raw,
        None,
        "a person mentioning absence; raw UTF-8 (unencoded) Subject header",
    )

    s = ours(
        "pt",
        "Sofia Mendes",
        "sofia.mendes@mendes-arquitetura.example.pt",
        D(2026, 12, 3, 9, 0),
        "Mendes Arquitetura",
    )
    date = date_header(2026, 12, 3, 12, 0, "+0000", 28)
    raw = reply(
        "outlook",
        frm="Sofia Mendes <sofia.mendes@mendes-arquitetura.example.pt>",
        to=BEA,
        subject="RE: " + s.subject,
        date=date,
        seed="pt-h-2",
        new="Pode tirar o segundo parágrafo da proposta e reenviar?\n\nSofia",
        sent=s,
        lang="pt",
    )
    c.add("pt_human_tirar_paragrafo.eml", "human", "pt", raw, None, "'tirar' is about the text")

    s = ours(
        "pt",
        "Pedro Rocha",
        "pedro.rocha@rocha-industria.example.com.br",
        D(2026, 12, 4, 9, 0),
        "Rocha Indústria",
    )
    date = date_header(2026, 12, 9, 8, 0, "-0300", 51)
    raw = reply(
        "gmail",
        frm="Pedro Rocha <pedro.rocha@rocha-industria.example.com.br>",
        to=BEA,
        subject="Re: " + s.subject,
        date=date,
        seed="pt-h-3",
        new="Preciso cancelar a reunião de amanhã. Podemos remarcar para sexta?",
        sent=s,
        qstyle="gmail-pt",
    )
    c.add(
        "pt_human_cancelar_reuniao.eml",
        "human",
        "pt",
        raw,
        None,
        "'cancelar a reunião' is not an unsubscribe",
    )

    s = ours(
        "pt",
        "Larissa Teixeira",
        "larissa.teixeira@teixeira-cosmeticos.example.com.br",
        D(2026, 12, 7, 9, 0),
        "Teixeira Cosméticos",
    )
    date = date_header_nopad(2026, 12, 7, 10, 0, "-0300")
    raw = reply(
        "apple",
        frm="Larissa Teixeira <larissa.teixeira@teixeira-cosmeticos.example.com.br>",
        to=BEA,
        subject="Re: " + s.subject,
        date=date,
        seed="pt-h-4",
        new="Tenho interesse. Qual o preço para 10 usuários?\n\nLarissa",
        sent=s,
        qstyle="apple-pt",
    )
    c.add("pt_human_tenho_interesse.eml", "human", "pt", raw, None, "Apple Mail 'Em ... escreveu:'")

    s = ours(
        "pt",
        "Miguel Santos",
        "miguel.santos@santos-pescas.example.pt",
        D(2026, 11, 27, 9, 0),
        "Santos Pescas",
    )
    date = date_header(2026, 12, 10, 9, 0, "+0000", 9)
    raw = reply(
        "outlook",
        frm="Miguel Santos <miguel.santos@santos-pescas.example.pt>",
        to=BEA,
        subject="RE: " + s.subject,
        date=date,
        seed="pt-h-5",
        new="Peço desculpa pela demora, estive de férias. Podemos falar na quinta às 15h?\n\nMiguel",
        sent=s,
        lang="pt",
    )
    c.add(
        "pt_human_estive_de_ferias.eml",
        "human",
        "pt",
        raw,
        None,
        "past holiday in a person's reply",
    )


def bounces(c: Corpus) -> None:
    s = ours("pt", "Carla Moreira", "carla.moreira@example.pt", D(2026, 12, 2, 9, 0), "Moreira Lda")
    text = (
        "Falha na entrega a estes destinatários ou grupos:\n\n"
        f"{s.to_addr}<mailto:{s.to_addr}>\n"
        "O endereço de e-mail que introduziu não foi encontrado. Verifique o endereço\n"
        "de e-mail do destinatário e tente reenviar a mensagem.\n\n"
        "Informações de diagnóstico para administradores:\n\nServidor de geração: DB7P195MB0456.EURP195.PROD.OUTLOOK.COM\n\n"
        f"{s.to_addr}\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n"
    )
    raw = exchange_ndr(
        postmaster="postmaster@example.pt",
        subject_prefix="Não entregue:",
        s=s,
        date=date_header(2026, 12, 2, 9, 0, "+0000", 37),
        seed="pt-b-1",
        loc="pt-PT",
        text=text,
        status="5.1.10",
        action="failed",
        diag="550 5.1.10 RESOLVER.ADR.RecipientNotFound",
    )
    c.add(
        "pt_bounce_nao_entregue.eml",
        "bounce",
        "pt",
        raw,
        None,
        "Portuguese Exchange NDR 'Não entregue:'",
    )

    s = ours(
        "pt", "Renato Dias", "renato.dias@example.com.br", D(2026, 12, 3, 9, 0), "Dias Transportes"
    )
    date = date_header(2026, 12, 3, 9, 0, "-0300", 13)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "Sistema de Entrega de E-mail <MAILER-DAEMON@mx.example.com.br>"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", ew("Mensagem não entregue", "utf-8")),
        ("Message-ID", msgid("mta", "pt-b-2", "mx.example.com.br")),
        ("Auto-Submitted", "auto-replied"),
    ]
    human = text_part(
        f"Não foi possível entregar sua mensagem a um ou mais destinatários.\nEste é um erro permanente.\n\n<{s.to_addr}>: o endereço não existe.\n",
        charset="utf-8",
        cte="quoted-printable",
    )
    st = delivery_status(
        reporting_mta="mx.example.com.br",
        recipient=s.to_addr,
        status="5.1.1",
        action="failed",
        remote_mta="mx1.example.com.br",
        diag="550 5.1.1 User unknown",
    )
    c.add(
        "pt_bounce_mailer_daemon_br.eml",
        "bounce",
        "pt",
        report(
            hs, boundary="=_" + hexid("pt-b2", 16), human=human, status_text=st, original=our_raw(s)
        ),
        None,
        "Brazilian mailer-daemon with DSN",
    )

    s = ours("pt", "Vera Lopes", "vera.lopes@example.org", D(2026, 12, 7, 9, 0), "Lopes Design")
    date = date_header(2026, 12, 7, 13, 0, "-0300", 50)
    hs = [
        ("Return-Path", "<>"),
        ("Date", date),
        ("From", "MAILER-DAEMON@mx.example.org"),
        ("To", "bounces@outreach.example.com"),
        ("Subject", ew("Aviso: entrega atrasada (caixa postal cheia)", "utf-8")),
    ]
    text = f"AVISO: esta é apenas uma notificação. Não é necessário reenviar a mensagem.\n\nA caixa postal do destinatário está cheia. O servidor continuará tentando\npor 3 dias.\n\n<{s.to_addr}>: 452 4.2.2 Mailbox full\n"
    c.add(
        "pt_soft_caixa_cheia.eml",
        "soft_bounce",
        "pt",
        assemble(
            [
                *hs,
                ("MIME-Version", "1.0"),
                ("Content-Type", "text/plain; charset=ISO-8859-1"),
                ("Content-Transfer-Encoding", "quoted-printable"),
            ],
            encode_body(text, "iso-8859-1", "quoted-printable"),
        ),
        None,
        "delay notice, mailbox full 4.2.2, no DSN part",
    )


def build(c: Corpus) -> None:
    """All Portuguese cases."""
    ooo(c)
    auto(c)
    unsub(c)
    human(c)
    bounces(c)
