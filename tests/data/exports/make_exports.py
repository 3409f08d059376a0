"""Write the export corpus of this folder (python tests/data/exports/make_exports.py).

Every row is typed here by hand, in the shape each platform's public documentation gives its export (column
names, status values, number and date styles); no value comes from a real shop. The files are committed: the
tests read them, not this script. ``expected.json`` was counted by hand from these rows (see README.md).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
NBSP = "\u00a0"


def write(name: str, lines: list[str], encoding: str = "utf-8", newline: str = "\n") -> None:
    (HERE / name).write_bytes((newline.join(lines) + newline).encode(encoding))


def shopify() -> None:
    # Admin > Orders > Export (CSV for Excel...): one row per line item, order fields on the first row only.
    header = (
        "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,"
        "Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,"
        "Lineitem name,Lineitem price,Lineitem sku,Billing Name,Refunded Amount,Payment Method,Id,Cancelled at"
    )
    rows = [
        "#1001,ann@example.co.uk,paid,2024-03-01 10:02:11 +0000,fulfilled,2024-03-02 09:00:00 +0000,yes,GBP,"
        "45.00,5.00,7.50,50.00,,0.00,Royal Mail,2024-03-01 10:02:11 +0000,2,Mug,15.00,MUG-1,Ann Lee,0.00,"
        "Shopify Payments,5550001,",
        "#1001,ann@example.co.uk,,,,,,,,,,,,,,,1,Tea,15.00,TEA-1,,,,,",
        "#1002,Bob@Example.co.uk,paid,2024-03-02 12:00:00 +0000,fulfilled,,no,GBP,30.00,0.00,5.00,30.00,,0.00,"
        "Collect,2024-03-02 12:00:00 +0000,1,Teapot,30.00,POT-1,Bob Ray,0.00,Shopify Payments,5550002,",
        "#1003,bob@example.co.uk,partially_refunded,2024-03-04 08:30:00 +0000,fulfilled,,no,GBP,80.00,0.00,"
        "13.33,80.00,,0.00,Royal Mail,2024-03-04 08:30:00 +0000,4,Cups,20.00,CUP-4,Bob Ray,20.00,"
        "Shopify Payments,5550003,",
        "#1004,cy@example.co.uk,refunded,2024-03-05 15:10:00 +0000,,,no,GBP,45.00,0.00,7.50,45.00,,0.00,"
        "Royal Mail,2024-03-05 15:10:00 +0000,1,Kettle,45.00,KET-1,Cy Ng,45.00,Shopify Payments,5550004,",
        "#1005,dee@example.co.uk,pending,,,,yes,GBP,25.00,0.00,4.17,25.00,,0.00,Royal Mail,"
        "2024-03-06 09:45:00 +0000,1,Tray,25.00,TRA-1,Dee Oh,0.00,Bank Deposit,5550005,",
        "#1006,ann@example.co.uk,paid,2024-03-07 11:00:00 +0000,fulfilled,,yes,GBP,12.00,0.00,0.00,0.00,"
        "FREEMUG,12.00,Royal Mail,2024-03-07 11:00:00 +0000,1,Mug,12.00,MUG-1,Ann Lee,0.00,,5550006,",
        "#1007,eve@example.co.uk,voided,,,,no,GBP,15.00,0.00,2.50,15.00,,0.00,Royal Mail,"
        "2024-03-08 17:20:00 +0000,1,Spoon,15.00,SPO-1,Eve Ko,0.00,Shopify Payments,5550007,"
        "2024-03-08 18:00:00 +0000",
        "#1008,fay@example.co.uk,authorized,,,,no,GBP,40.00,0.00,6.67,40.00,,0.00,Royal Mail,"
        "2024-03-09 10:00:00 +0000,1,Jug,40.00,JUG-1,Fay Li,0.00,Shopify Payments,5550008,",
        "#1009,ann@example.co.uk,paid,2024-03-11 13:13:00 +0000,fulfilled,,yes,GBP,12.50,0.00,2.08,12.50,,0.00,"
        "Royal Mail,2024-03-11 13:13:00 +0000,1,Tea,12.50,TEA-1,Ann Lee,0.00,Shopify Payments,5550009,",
        "#1010,gus@example.co.uk,expired,,,,no,GBP,22.00,0.00,3.67,22.00,,0.00,Royal Mail,"
        "2024-03-12 08:00:00 +0000,1,Bowl,22.00,BOW-1,Gus Am,0.00,Shopify Payments,5550010,",
        "#1011,BOB@example.co.uk,paid,2024-03-14 19:05:00 +0000,fulfilled,,no,GBP,18.00,0.00,3.00,18.00,,0.00,"
        "Royal Mail,2024-03-14 19:05:00 +0000,1,Tea,6.00,TEA-1,Bob Ray,0.00,Shopify Payments,5550011,",
        "#1011,BOB@example.co.uk,,,,,,,,,,,,,,,1,Sugar,6.00,SUG-1,,,,,",
        "#1011,BOB@example.co.uk,,,,,,,,,,,,,,,1,Spoon,6.00,SPO-1,,,,,",
        "#1012,hal@example.co.uk,partially_paid,2024-03-15 10:30:00 +0000,,,no,GBP,35.00,0.00,5.83,35.00,,0.00,"
        "Royal Mail,2024-03-15 10:30:00 +0000,1,Plate,35.00,PLA-1,Hal Wu,0.00,Shopify Payments,5550012,",
    ]
    write("shopify_orders_export.csv", [header, *rows])


def woocommerce_orders() -> None:
    # Customer/Order CSV export (order rows): customer_id 0 for guest checkouts, wc-* status slugs.
    header = (
        "order_id,order_number,order_date,status,shipping_total,tax_total,discount_total,order_total,"
        "refunded_total,order_currency,payment_method,customer_id,billing_first_name,billing_last_name,"
        "billing_email"
    )
    rows = [
        "101,101,2024-01-03 10:15:00,wc-completed,4.90,9.98,0.00,59.90,0.00,EUR,stripe,5,Anna,Roux,anna@ex.fr",
        "102,102,2024-01-04 11:00:00,wc-completed,4.90,4.08,0.00,24.50,0.00,EUR,paypal,0,Gilles,Vo,guest1@ex.fr",
        "103,103,2024-01-06 09:30:00,wc-processing,0.00,6.50,0.00,39.00,0.00,EUR,stripe,7,Marc,Lo,marc@ex.fr",
        "104,104,2024-01-08 16:45:00,wc-failed,0.00,13.33,0.00,80.00,0.00,EUR,stripe,0,Ines,Ba,guest2@ex.fr",
        "105,105,2024-01-09 08:05:00,wc-cancelled,0.00,2.50,0.00,15.00,0.00,EUR,bacs,5,Anna,Roux,anna@ex.fr",
        "106,106,2024-01-11 14:20:00,wc-refunded,0.00,7.50,0.00,45.00,45.00,EUR,stripe,7,Marc,Lo,marc@ex.fr",
        "107,107,2024-01-12 18:00:00,wc-completed,0.00,16.67,0.00,100.00,30.00,EUR,paypal,0,Gilles,Vo,"
        "guest1@ex.fr",
        "108,108,2024-01-15 12:00:00,wc-on-hold,0.00,3.67,0.00,22.00,0.00,EUR,bacs,0,Remi,Ha,guest3@ex.fr",
        "109,109,2024-01-16 10:10:00,wc-completed,0.00,5.83,0.00,35.00,0.00,EUR,stripe,0,Lea,Mo,GUEST4@EX.FR",
        "110,110,2024-01-18 09:00:00,wc-pending,0.00,2.00,0.00,12.00,0.00,EUR,stripe,9,Paul,Ng,paul@ex.fr",
        "111,111,2024-01-20 20:30:00,wc-completed,0.00,3.00,0.00,18.00,0.00,EUR,stripe,0,Anna,Roux, anna@ex.fr",
        "112,112,2024-01-22 07:45:00,wc-completed,0.00,4.58,0.00,27.50,0.00,EUR,stripe,9,Paul,Ng,paul@ex.fr",
        "113,113,2024-01-25 13:00:00,wc-processing,0.00,10.67,0.00,64.00,0.00,EUR,paypal,0,Nour,Sy,guest5@ex.fr",
        "114,114,2024-01-27 22:10:00,wc-checkout-draft,0.00,1.67,0.00,10.00,0.00,EUR,,0,,,guest6@ex.fr",
    ]
    write("woocommerce_orders_export.csv", [header, *rows])


def woocommerce_analytics() -> None:
    # Analytics > Orders > Download: customer names (no e-mail, no currency), status labels, and refunds as
    # negative rows on the refund date under the order's number.
    header = '"Date","Order #","Status","Customer","Customer type","Product(s)","Items sold","Coupon(s)","Net Sales"'
    rows = [
        '"2024-02-01","201","Completed","Marie Curie","new","Mug","1","","20.00"',
        '"2024-02-02","202","Processing","Jean Dupont","new","Tea, Cups","2","","35.50"',
        '"2024-02-03","203","On hold","Paul Martin","new","Tray","1","","15.00"',
        '"2024-02-05","204","Completed","Marie Curie","returning","Cups","3","","60.00"',
        '"2024-02-06","205","Failed","Luc Bernard","new","Jug","1","","25.00"',
        '"2024-02-08","206","Refunded","Jean Dupont","returning","Kettle","1","","40.00"',
        '"2024-02-09","206","Refunded","Jean Dupont","returning","Kettle","-1","","-40.00"',
        '"2024-02-10","207","Completed","Sophie Petit","new","Plates","2","WELCOME","48.00"',
        '"2024-02-12","204","Completed","Marie Curie","returning","Cups","-1","","-20.00"',
        '"2024-02-14","208","Cancelled","Luc Bernard","returning","Bowl","1","","30.00"',
        '"2024-02-15","209","Pending payment","Anne Roux","new","Spoon","1","","12.00"',
        '"2024-02-16","210","Completed","Paul Martin","returning","Tray","1","","22.00"',
        '"2024-02-18","211","Processing","Sophie Petit","returning","Tea","1","","18.50"',
    ]
    write("woocommerce_analytics_orders.csv", [header, *rows])


def stripe() -> None:
    # Dashboard > Payments > Export (unified payments): lower-case currency, guests without Customer ID.
    header = (
        "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,"
        "Converted Amount Refunded,Converted Currency,Decline Reason,Description,Fee,Refunded date (UTC),"
        "Statement Descriptor,Status,Seller Message,Taxes On Fee,Card ID,Customer ID,Customer Description,"
        "Customer Email,Invoice ID"
    )
    rows = [
        "ch_01,2024-03-01 10:00:00,49.00,0.00,eur,true,49.00,0.00,eur,,Order 1,1.67,,SHOP,Paid,"
        "Payment complete.,0.00,card_01,cus_A,Alice,a@shop.io,",
        "ch_02,2024-03-02 11:30:00,25.00,0.00,eur,true,25.00,0.00,eur,,Order 2,1.13,,SHOP,Paid,"
        "Payment complete.,0.00,card_02,,,guest.x@shop.io,",
        "ch_03,2024-03-03 09:15:00,80.00,80.00,eur,true,80.00,80.00,eur,,Order 3,2.45,2024-03-05 10:00:00,SHOP,"
        "Refunded,Payment complete.,0.00,card_03,cus_B,Bruno,b@shop.io,",
        "ch_04,2024-03-04 14:00:00,60.00,15.00,eur,true,60.00,15.00,eur,,Order 4,1.95,2024-03-08 12:00:00,SHOP,"
        "Paid,Payment complete.,0.00,card_03,cus_B,Bruno,b@shop.io,",
        "ch_05,2024-03-05 16:20:00,30.00,0.00,eur,false,30.00,0.00,eur,card_declined,Order 5,0.00,,SHOP,"
        "Failed,The bank did not return any further details with this decline.,0.00,card_05,cus_C,Chloe,"
        "c@shop.io,",
        "ch_06,2024-03-06 08:00:00,0.00,0.00,eur,true,0.00,0.00,eur,,Card check,0.00,,SHOP,Paid,"
        "Payment complete.,0.00,card_06,cus_D,Dora,d@shop.io,",
        "ch_07,2024-03-07 19:45:00,19.99,0.00,eur,true,19.99,0.00,eur,,Order 7,0.95,,SHOP,Paid,"
        "Payment complete.,0.00,card_07,,,Guest.X@Shop.io ,",
        "ch_08,2024-03-08 10:10:00,120.00,0.00,eur,false,120.00,0.00,eur,,Order 8,0.00,,SHOP,Canceled,"
        "Payment canceled.,0.00,card_01,cus_A,Alice,a@shop.io,",
        "ch_09,2024-03-09 12:00:00,35.00,0.00,eur,true,35.00,0.00,eur,,Subscription,1.30,,SHOP,Paid,"
        "Payment complete.,0.00,card_01,cus_A,Alice,a@shop.io,in_09",
        "ch_10,2024-03-10 13:30:00,15.00,0.00,eur,true,15.00,0.00,eur,,Order 10,0.78,,SHOP,Paid,"
        "Payment complete.,0.00,card_10,,,,",
        "ch_11,2024-03-11 09:00:00,55.00,0.00,eur,true,55.00,0.00,eur,,Order 11,1.85,,SHOP,Disputed,"
        "Payment complete.,0.00,card_11,cus_E,Emil,e@shop.io,",
        "ch_12,2024-03-12 17:00:00,10.00,0.00,eur,true,10.00,0.00,eur,,Order 12,0.60,,SHOP,Paid,"
        "Payment complete.,0.00,card_12,,,a@shop.io,",
    ]
    write("stripe_unified_payments.csv", [header, *rows])


def prestashop_back_office() -> None:
    # Commandes > Exporter: cp1252, ';', decimal comma with a euro sign, dd/mm/yyyy, customers as "J. MICHEL".
    rows = [
        "ID;Référence;Nouveau client;Livraison;Client;Total;Paiement;État;Date",
        f"1;XKBKNABJK;Oui;France;J. MICHEL;45,90{NBSP}€;Chèque;Paiement accepté;05/03/2024 10:12:00",
        f"2;OHSATSERP;Oui;France;C. DUPONT;120,00{NBSP}€;Virement bancaire;Livré;06/03/2024 11:02:00",
        f"3;FFATNOMMJ;Non;France;J. MICHEL;12,50{NBSP}€;Carte bancaire;Expédié;08/03/2024 09:40:00",
        f"4;UOYEVOLIS;Oui;Belgique;M. LEROY;89,00{NBSP}€;Virement bancaire;En attente de virement bancaire;"
        "09/03/2024 18:30:00",
        f"5;KHWLILZLL;Oui;France;A. MOREAU;34,00{NBSP}€;Carte bancaire;Erreur de paiement;10/03/2024 14:00:00",
        f"6;ZRJQWPRTB;Non;France;C. DUPONT;1{NBSP}250,00{NBSP}€;Virement bancaire;Paiement accepté;"
        "12/03/2024 08:15:00",
        f"7;BDUQRPEOD;Oui;France;S. GIRARD;60,00{NBSP}€;Carte bancaire;Annulé;13/03/2024 16:45:00",
        f"8;XMDJUTRRB;Non;France;M. LEROY;75,50{NBSP}€;Carte bancaire;Remboursé;14/03/2024 10:00:00",
        f"9;GQLDVXIAX;Oui;France;L. FAURE;22,00{NBSP}€;Chèque;En attente du paiement par chèque;15/03/2024 12:30:00",
        f"10;RNKQBVOSZ;Non;France;J. MICHEL;18,00{NBSP}€;Carte bancaire;En cours de préparation;16/03/2024 19:05:00",
        f"11;PLMAURTIV;Oui;France;E. BLANC;54,90{NBSP}€;Carte bancaire;Paiement à distance accepté;"
        "18/03/2024 07:50:00",
    ]
    write("prestashop_back_office.csv", rows, encoding="cp1252", newline="\r\n")


def prestashop_module() -> None:
    # An order-export module: raw database fields (id_order, id_customer, date_add, current_state name,
    # total_paid_tax_incl with six decimals), ';' separated, UTF-8 with BOM, English state names.
    rows = [
        "id_order;reference;id_customer;email;firstname;lastname;date_add;current_state;total_paid_tax_incl;"
        "total_paid_real;currency;payment",
        "101;QWERTYUIO;12;marie@ex.fr;Marie;Roux;2024-04-02 09:10:00;Payment accepted;59.900000;59.900000;EUR;Card",
        "102;ASDFGHJKL;15;paul@ex.fr;Paul;Blanc;2024-04-03 10:00:00;Shipped;120.000000;120.000000;EUR;Card",
        "103;ZXCVBNMQW;12;marie@ex.fr;Marie;Roux;2024-04-05 15:30:00;Delivered;35.500000;35.500000;EUR;Card",
        "104;POIUYTREZ;18;luc@ex.fr;Luc;Noir;2024-04-06 11:11:00;Canceled;80.000000;0.000000;EUR;Bank wire",
        "105;LKJHGFDSQ;19;anne@ex.fr;Anne;Vert;2024-04-07 12:00:00;Payment error;45.000000;0.000000;EUR;Card",
        "106;MNBVCXWQA;15;paul@ex.fr;Paul;Blanc;2024-04-09 08:20:00;Refunded;60.000000;60.000000;EUR;Card",
        "107;AZERTYUIO;21;zoe@ex.fr;Zoe;Gris;2024-04-10 17:40:00;Awaiting bank wire payment;99.000000;0.000000;"
        "EUR;Bank wire",
        "108;QSDFGHJKL;22;leo@ex.fr;Leo;Brun;2024-04-11 09:00:00;Remote payment accepted;25.000000;25.000000;EUR;"
        "PayPal",
        "109;WXCVBNAZE;12;marie@ex.fr;Marie;Roux;2024-04-12 14:14:00;Processing in progress;14.900000;14.900000;"
        "EUR;Card",
        "110;RTYUIOPQS;23;ines@ex.fr;Ines;Rose;2024-04-14 10:30:00;On backorder (paid);70.000000;70.000000;EUR;Card",
        "111;DFGHJKLMW;24;hugo@ex.fr;Hugo;Bleu;2024-04-15 16:00:00;On backorder (not paid);30.000000;0.000000;EUR;"
        "Bank wire",
    ]
    write("prestashop_module_export.csv", rows, encoding="utf-8-sig")


def french_workbook() -> None:
    # A French workbook kept by hand: a title row, a blank row, then the table; real dates and numbers.
    wb = Workbook()
    ws = wb.active
    ws.title = "Commandes"
    ws.append(["Export des commandes – Boutique Exemple"])
    ws.append([])
    ws.append(["N° commande", "Date", "Client", "E-mail", "Montant TTC", "Statut", "Devise"])
    rows = [
        ("CMD-001", dt.datetime(2024, 5, 2, 10, 0), "Jean Dupont", "jean.dupont@exemple.fr", 150.0, "Payée"),
        ("CMD-002", dt.datetime(2024, 5, 3, 11, 0), "Claire Martin", "claire@exemple.fr", 89.9, "Livrée"),
        ("CMD-003", dt.datetime(2024, 5, 5, 9, 30), "Jean Dupont", "Jean.Dupont@Exemple.fr", 45.0, "Payée"),
        ("CMD-004", dt.datetime(2024, 5, 6, 14, 0), "Jean Dupont", "jean.d@autre.fr", 60.0, "Payée"),
        ("CMD-005", dt.datetime(2024, 5, 8, 16, 0), "Luc Petit", "luc@exemple.fr", 30.0, "Annulée"),
        ("CMD-006", dt.datetime(2024, 5, 9, 8, 0), "Claire Martin", "claire@exemple.fr", 120.0, "Remboursée"),
        ("CMD-007", dt.datetime(2024, 5, 11, 12, 0), "Emma Leroy", "emma@exemple.fr", 75.0, "En attente"),
        ("CMD-008", dt.datetime(2024, 5, 12, 12, 30), "Emma Leroy", "emma@exemple.fr", 75.0, "Payée"),
        ("CMD-010", dt.datetime(2024, 5, 18, 18, 0), "Claire Martin", "claire@exemple.fr", 210.5, "Payée"),
    ]
    for row in rows:
        ws.append([*row, "EUR"])
    for cell in ws["B"][3:]:
        cell.number_format = "dd/mm/yyyy hh:mm"
    wb.save(HERE / "classeur_commandes_fr.xlsx")


def chargebee() -> None:
    # Invoices export: invoice[...] and customer[...] columns, Chargebee invoice statuses, a $0 trial invoice.
    header = (
        "invoice[id],invoice[customer_id],invoice[subscription_id],invoice[status],invoice[date],"
        "invoice[due_date],invoice[currency_code],invoice[total],invoice[amount_paid],invoice[amount_adjusted],"
        "invoice[credits_applied],invoice[amount_due],invoice[paid_at],customer[email],customer[first_name],"
        "customer[last_name]"
    )
    rows = [
        "inv_1001,cust_A,sub_1,paid,2024-06-01 00:00:00,2024-06-01 00:00:00,USD,49.00,49.00,0.00,0.00,0.00,"
        "2024-06-01 00:05:00,a@saas.io,Ada,Ray",
        "inv_1002,cust_B,sub_2,paid,2024-06-01 00:00:00,2024-06-01 00:00:00,USD,99.00,99.00,0.00,0.00,0.00,"
        "2024-06-01 00:06:00,b@saas.io,Ben,Cole",
        "inv_1003,cust_C,sub_3,payment_due,2024-06-02 00:00:00,2024-06-02 00:00:00,USD,49.00,0.00,0.00,0.00,"
        "49.00,,c@saas.io,Cal,Dunn",
        "inv_1004,cust_D,sub_4,not_paid,2024-06-03 00:00:00,2024-06-03 00:00:00,USD,99.00,0.00,0.00,0.00,99.00,,"
        "d@saas.io,Dev,Ek",
        "inv_1005,cust_E,sub_5,voided,2024-06-03 00:00:00,2024-06-03 00:00:00,USD,49.00,0.00,0.00,0.00,0.00,,"
        "e@saas.io,Eli,Fa",
        "inv_1006,cust_A,sub_1,paid,2024-07-01 00:00:00,2024-07-01 00:00:00,USD,49.00,49.00,0.00,0.00,0.00,"
        "2024-07-01 00:04:00,a@saas.io,Ada,Ray",
        "inv_1007,cust_B,sub_2,paid,2024-07-01 00:00:00,2024-07-01 00:00:00,USD,99.00,99.00,0.00,0.00,0.00,"
        "2024-07-01 00:07:00,b@saas.io,Ben,Cole",
        "inv_1008,cust_C,sub_3,posted,2024-07-02 00:00:00,2024-08-01 00:00:00,USD,49.00,0.00,0.00,0.00,49.00,,"
        "c@saas.io,Cal,Dunn",
        "inv_1009,cust_F,sub_6,paid,2024-07-05 00:00:00,2024-07-05 00:00:00,USD,199.00,199.00,0.00,0.00,0.00,"
        "2024-07-05 00:01:00,f@saas.io,Fen,Gu",
        "inv_1010,cust_G,sub_7,pending,2024-07-06 00:00:00,2024-07-06 00:00:00,USD,49.00,0.00,0.00,0.00,0.00,,"
        "g@saas.io,Gia,Ho",
        "inv_1011,cust_A,sub_1,paid,2024-08-01 00:00:00,2024-08-01 00:00:00,USD,49.00,49.00,0.00,0.00,0.00,"
        "2024-08-01 00:03:00,a@saas.io,Ada,Ray",
        "inv_1012,cust_H,sub_8,paid,2024-08-02 00:00:00,2024-08-02 00:00:00,USD,0.00,0.00,0.00,0.00,0.00,"
        "2024-08-02 00:00:00,h@saas.io,Hal,Ito",
    ]
    write("chargebee_invoices.csv", [header, *rows])


def recurly() -> None:
    # Transactions export: account_code, type (purchase / refund / authorization / verify), gateway status,
    # refunds sharing the purchase's invoice_number, dates with a zone abbreviation.
    header = ("account_code,name,transaction_id,type,amount,tax_amount,currency,date,status,message,test,cc_type,"
              "invoice_number,origin")
    rows = [
        "acc_1,Ann Lee,t01,purchase,30.00,0.00,USD,2024-06-03 09:00:00 PST,success,Approved,false,visa,1001,api",
        "acc_2,Bo Chen,t02,purchase,30.00,0.00,USD,2024-06-04 10:00:00 PST,success,Approved,false,master,1002,api",
        "acc_3,Cy Diaz,t03,authorization,0.00,0.00,USD,2024-06-04 11:00:00 PST,success,Approved,false,visa,,"
        "billing_info",
        "acc_3,Cy Diaz,t04,purchase,30.00,0.00,USD,2024-06-05 09:30:00 PST,declined,Insufficient funds,false,visa,"
        "1003,recurring",
        "acc_3,Cy Diaz,t05,purchase,30.00,0.00,USD,2024-06-06 09:30:00 PST,success,Approved,false,visa,1003,"
        "recurring",
        "acc_2,Bo Chen,t06,refund,30.00,0.00,USD,2024-06-10 15:00:00 PST,success,Approved,false,master,1002,"
        "recurly_admin",
        "acc_1,Ann Lee,t07,purchase,30.00,0.00,USD,2024-07-03 09:00:00 PDT,success,Approved,false,visa,1004,"
        "recurring",
        "acc_4,Di Eze,t08,verify,0.00,0.00,USD,2024-07-04 12:00:00 PDT,success,Approved,false,amex,,billing_info",
        "acc_4,Di Eze,t09,purchase,60.00,0.00,USD,2024-07-05 12:05:00 PDT,success,Approved,false,amex,1005,api",
        "acc_4,Di Eze,t10,refund,20.00,0.00,USD,2024-07-08 08:00:00 PDT,success,Approved,false,amex,1005,"
        "recurly_admin",
        "acc_1,Ann Lee,t11,purchase,30.00,0.00,USD,2024-08-03 09:00:00 PDT,void,Voided,false,visa,1006,recurring",
        "acc_5,Ed Fox,t12,purchase,45.00,0.00,USD,2024-08-05 10:00:00 PDT,processing,Pending,false,,1007,api",
        "acc_1,Ann Lee,t13,purchase,30.00,0.00,USD,2024-08-06 09:00:00 PDT,success,Approved,false,visa,1008,"
        "recurring",
        "acc_2,Bo Chen,t14,refund,10.00,0.00,USD,2024-08-07 11:00:00 PDT,declined,Declined,false,master,1002,"
        "recurly_admin",
    ]
    write("recurly_transactions.csv", [header, *rows])


def paypal() -> None:
    # Activity download (all transactions): payments, refunds pointing at their payment (Reference Txn ID),
    # currency conversions, a withdrawal, an authorization; mm/dd/yyyy dates; the merchant is shop@store.com.
    header = ('"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net","From Email Address",'
              '"To Email Address","Transaction ID","Item Title","Quantity","Reference Txn ID","Balance Impact"')
    rows = [
        '"01/05/2024","10:01:00","PST","Amy Fox","Express Checkout Payment","Completed","USD","40.00","-1.46",'
        '"38.54","amy@mail.com","shop@store.com","1AA11111AA1111111","Mug","1","","Credit"',
        '"01/08/2024","12:30:00","PST","Ben Ito","Website Payment","Completed","USD","25.00","-1.03","23.97",'
        '"ben@mail.com","shop@store.com","2BB22222BB2222222","Tea","1","","Credit"',
        '"01/10/2024","09:00:00","PST","Cara Lu","Express Checkout Payment","Partially Refunded","USD","60.00",'
        '"-2.04","57.96","cara@mail.com","shop@store.com","3CC33333CC3333333","Cups","2","","Credit"',
        '"01/12/2024","15:20:00","PST","Cara Lu","Payment Refund","Completed","USD","-15.00","0.51","-14.49",'
        '"shop@store.com","cara@mail.com","4DD44444DD4444444","Cups","","3CC33333CC3333333","Debit"',
        '"01/13/2024","11:11:00","PST","Dan Oh","Express Checkout Payment","Refunded","USD","30.00","-1.17",'
        '"28.83","dan@mail.com","shop@store.com","5EE55555EE5555555","Tray","1","","Credit"',
        '"01/14/2024","08:45:00","PST","Dan Oh","Payment Refund","Completed","USD","-30.00","1.17","-28.83",'
        '"shop@store.com","dan@mail.com","6FF66666FF6666666","Tray","","5EE55555EE5555555","Debit"',
        '"01/16/2024","18:00:00","PST","Amy Fox","Mobile Payment","Completed","USD","22.50","-0.95","21.55",'
        '"AMY@mail.com","shop@store.com","7GG77777GG7777777","Tea","1","","Credit"',
        '"01/18/2024","07:30:00","PST","Eve Ng","Express Checkout Payment","Pending","USD","80.00","0.00",'
        '"80.00","eve@mail.com","shop@store.com","8HH88888HH8888888","Kettle","1","","Memo"',
        '"01/19/2024","13:05:00","PST","Fay Wu","Express Checkout Payment","Denied","USD","35.00","0.00",'
        '"35.00","fay@mail.com","shop@store.com","9JJ99999JJ9999999","Jug","1","","Memo"',
        '"01/20/2024","10:00:00","PST","","General Currency Conversion","Completed","EUR","-10.00","0.00",'
        '"-10.00","shop@store.com","","1KK11111KK1111111","","","","Debit"',
        '"01/20/2024","10:00:00","PST","","General Currency Conversion","Completed","USD","10.90","0.00",'
        '"10.90","shop@store.com","","2LL22222LL2222222","","","","Credit"',
        '"01/22/2024","09:00:00","PST","","General Withdrawal","Completed","USD","-100.00","0.00","-100.00",'
        '"shop@store.com","","3MM33333MM3333333","","","","Debit"',
        '"01/25/2024","16:40:00","PST","Gus Ra","Express Checkout Payment","Completed","USD","55.00","-1.90",'
        '"53.10","gus@mail.com","shop@store.com","4NN44444NN4444444","Plates","3","","Credit"',
        '"01/26/2024","17:00:00","PST","Hana Yu","General Authorization","Pending","USD","18.00","0.00",'
        '"18.00","hana@mail.com","shop@store.com","5PP55555PP5555555","Spoon","1","","Memo"',
    ]
    write("paypal_activity.csv", [header, *rows])


if __name__ == "__main__":
    shopify()
    woocommerce_orders()
    woocommerce_analytics()
    stripe()
    prestashop_back_office()
    prestashop_module()
    french_workbook()
    chargebee()
    recurly()
    paypal()
