Function BGBB_FIT(frequency, recency, opportunities, Optional customers)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        BGBB_FIT = XLPy.CallUDF("clv_xl.excel.udfs", "BGBB_FIT", Array(frequency, recency, opportunities, customers), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        BGBB_FIT = XLPy.CallUDF("clv_xl.excel.udfs", "BGBB_FIT", Array(frequency, recency, opportunities, customers))
        Exit Function
    #End If
failed:
    BGBB_FIT = Err.Description
End Function

Function BGNBD_FIT(frequency, recency, T, Optional penalizer)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        BGNBD_FIT = XLPy.CallUDF("clv_xl.excel.udfs", "BGNBD_FIT", Array(frequency, recency, T, penalizer), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        BGNBD_FIT = XLPy.CallUDF("clv_xl.excel.udfs", "BGNBD_FIT", Array(frequency, recency, T, penalizer))
        Exit Function
    #End If
failed:
    BGNBD_FIT = Err.Description
End Function

Function BGNBD_PURCHASES(r, alpha, a, b, t, frequency, recency, T)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        BGNBD_PURCHASES = XLPy.CallUDF("clv_xl.excel.udfs", "BGNBD_PURCHASES", Array(r, alpha, a, b, t, frequency, recency, T), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        BGNBD_PURCHASES = XLPy.CallUDF("clv_xl.excel.udfs", "BGNBD_PURCHASES", Array(r, alpha, a, b, t, frequency, recency, T))
        Exit Function
    #End If
failed:
    BGNBD_PURCHASES = Err.Description
End Function

Function CAC(spend, new_customers)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CAC = XLPy.CallUDF("clv_xl.excel.udfs", "CAC", Array(spend, new_customers), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CAC = XLPy.CallUDF("clv_xl.excel.udfs", "CAC", Array(spend, new_customers))
        Exit Function
    #End If
failed:
    CAC = Err.Description
End Function

Function CAC_PAYBACK(cac, revenue_per_period, Optional gross_margin)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CAC_PAYBACK = XLPy.CallUDF("clv_xl.excel.udfs", "CAC_PAYBACK", Array(cac, revenue_per_period, gross_margin), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CAC_PAYBACK = XLPy.CallUDF("clv_xl.excel.udfs", "CAC_PAYBACK", Array(cac, revenue_per_period, gross_margin))
        Exit Function
    #End If
failed:
    CAC_PAYBACK = Err.Description
End Function

Function CHURN_RATE(customers_at_start, customers_lost)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CHURN_RATE = XLPy.CallUDF("clv_xl.excel.udfs", "CHURN_RATE", Array(customers_at_start, customers_lost), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CHURN_RATE = XLPy.CallUDF("clv_xl.excel.udfs", "CHURN_RATE", Array(customers_at_start, customers_lost))
        Exit Function
    #End If
failed:
    CHURN_RATE = Err.Description
End Function

Function CLV(avg_order_value, purchases_per_year, lifespan_years, Optional margin, Optional discount_rate)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CLV = XLPy.CallUDF("clv_xl.excel.udfs", "CLV", Array(avg_order_value, purchases_per_year, lifespan_years, margin, discount_rate), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CLV = XLPy.CallUDF("clv_xl.excel.udfs", "CLV", Array(avg_order_value, purchases_per_year, lifespan_years, margin, discount_rate))
        Exit Function
    #End If
failed:
    CLV = Err.Description
End Function

Function CLV_PREDICTED(r, alpha, a, b, p, q, gamma, frequency, recency, T, monetary_value, horizon, time_unit, Optional discount_rate, Optional margin)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CLV_PREDICTED = XLPy.CallUDF("clv_xl.excel.udfs", "CLV_PREDICTED", Array(r, alpha, a, b, p, q, gamma, frequency, recency, T, monetary_value, horizon, time_unit, discount_rate, margin), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CLV_PREDICTED = XLPy.CallUDF("clv_xl.excel.udfs", "CLV_PREDICTED", Array(r, alpha, a, b, p, q, gamma, frequency, recency, T, monetary_value, horizon, time_unit, discount_rate, margin))
        Exit Function
    #End If
failed:
    CLV_PREDICTED = Err.Description
End Function

Function CLV_RETENTION(margin, retention_rate, discount_rate, Optional first_period_counted)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CLV_RETENTION = XLPy.CallUDF("clv_xl.excel.udfs", "CLV_RETENTION", Array(margin, retention_rate, discount_rate, first_period_counted), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CLV_RETENTION = XLPy.CallUDF("clv_xl.excel.udfs", "CLV_RETENTION", Array(margin, retention_rate, discount_rate, first_period_counted))
        Exit Function
    #End If
failed:
    CLV_RETENTION = Err.Description
End Function

Function CLV_SUMMARY(customer_ids, order_dates, amounts, Optional observation_end, Optional time_unit)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CLV_SUMMARY = XLPy.CallUDF("clv_xl.excel.udfs", "CLV_SUMMARY", Array(customer_ids, order_dates, amounts, observation_end, time_unit), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CLV_SUMMARY = XLPy.CallUDF("clv_xl.excel.udfs", "CLV_SUMMARY", Array(customer_ids, order_dates, amounts, observation_end, time_unit))
        Exit Function
    #End If
failed:
    CLV_SUMMARY = Err.Description
End Function

Function COHORT_RETENTION(customer_ids, order_dates, Optional period)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        COHORT_RETENTION = XLPy.CallUDF("clv_xl.excel.udfs", "COHORT_RETENTION", Array(customer_ids, order_dates, period), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        COHORT_RETENTION = XLPy.CallUDF("clv_xl.excel.udfs", "COHORT_RETENTION", Array(customer_ids, order_dates, period))
        Exit Function
    #End If
failed:
    COHORT_RETENTION = Err.Description
End Function

Function GG_FIT(frequency, monetary_value)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GG_FIT = XLPy.CallUDF("clv_xl.excel.udfs", "GG_FIT", Array(frequency, monetary_value), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        GG_FIT = XLPy.CallUDF("clv_xl.excel.udfs", "GG_FIT", Array(frequency, monetary_value))
        Exit Function
    #End If
failed:
    GG_FIT = Err.Description
End Function

Function GG_SPEND(p, q, gamma, frequency, monetary_value)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GG_SPEND = XLPy.CallUDF("clv_xl.excel.udfs", "GG_SPEND", Array(p, q, gamma, frequency, monetary_value), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        GG_SPEND = XLPy.CallUDF("clv_xl.excel.udfs", "GG_SPEND", Array(p, q, gamma, frequency, monetary_value))
        Exit Function
    #End If
failed:
    GG_SPEND = Err.Description
End Function

Function LIFESPAN(churn_rate)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        LIFESPAN = XLPy.CallUDF("clv_xl.excel.udfs", "LIFESPAN", Array(churn_rate), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        LIFESPAN = XLPy.CallUDF("clv_xl.excel.udfs", "LIFESPAN", Array(churn_rate))
        Exit Function
    #End If
failed:
    LIFESPAN = Err.Description
End Function

Function LTV_CAC(ltv, cac)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        LTV_CAC = XLPy.CallUDF("clv_xl.excel.udfs", "LTV_CAC", Array(ltv, cac), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        LTV_CAC = XLPy.CallUDF("clv_xl.excel.udfs", "LTV_CAC", Array(ltv, cac))
        Exit Function
    #End If
failed:
    LTV_CAC = Err.Description
End Function

Function LTV_SUBSCRIPTION(arpa, churn_rate, Optional gross_margin)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        LTV_SUBSCRIPTION = XLPy.CallUDF("clv_xl.excel.udfs", "LTV_SUBSCRIPTION", Array(arpa, churn_rate, gross_margin), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        LTV_SUBSCRIPTION = XLPy.CallUDF("clv_xl.excel.udfs", "LTV_SUBSCRIPTION", Array(arpa, churn_rate, gross_margin))
        Exit Function
    #End If
failed:
    LTV_SUBSCRIPTION = Err.Description
End Function

Function MBGNBD_FIT(frequency, recency, T, Optional penalizer)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        MBGNBD_FIT = XLPy.CallUDF("clv_xl.excel.udfs", "MBGNBD_FIT", Array(frequency, recency, T, penalizer), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        MBGNBD_FIT = XLPy.CallUDF("clv_xl.excel.udfs", "MBGNBD_FIT", Array(frequency, recency, T, penalizer))
        Exit Function
    #End If
failed:
    MBGNBD_FIT = Err.Description
End Function

Function MODEL_PURCHASES(model, params, t, frequency, recency, T)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        MODEL_PURCHASES = XLPy.CallUDF("clv_xl.excel.udfs", "MODEL_PURCHASES", Array(model, params, t, frequency, recency, T), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        MODEL_PURCHASES = XLPy.CallUDF("clv_xl.excel.udfs", "MODEL_PURCHASES", Array(model, params, t, frequency, recency, T))
        Exit Function
    #End If
failed:
    MODEL_PURCHASES = Err.Description
End Function

Function MODEL_P_ALIVE(model, params, frequency, recency, T)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        MODEL_P_ALIVE = XLPy.CallUDF("clv_xl.excel.udfs", "MODEL_P_ALIVE", Array(model, params, frequency, recency, T), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        MODEL_P_ALIVE = XLPy.CallUDF("clv_xl.excel.udfs", "MODEL_P_ALIVE", Array(model, params, frequency, recency, T))
        Exit Function
    #End If
failed:
    MODEL_P_ALIVE = Err.Description
End Function

Function MODEL_RESIDUAL(model, params, frequency, recency, T, discount_rate)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        MODEL_RESIDUAL = XLPy.CallUDF("clv_xl.excel.udfs", "MODEL_RESIDUAL", Array(model, params, frequency, recency, T, discount_rate), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        MODEL_RESIDUAL = XLPy.CallUDF("clv_xl.excel.udfs", "MODEL_RESIDUAL", Array(model, params, frequency, recency, T, discount_rate))
        Exit Function
    #End If
failed:
    MODEL_RESIDUAL = Err.Description
End Function

Function MRR_TABLE(customer_ids, charge_dates, amounts)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        MRR_TABLE = XLPy.CallUDF("clv_xl.excel.udfs", "MRR_TABLE", Array(customer_ids, charge_dates, amounts), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        MRR_TABLE = XLPy.CallUDF("clv_xl.excel.udfs", "MRR_TABLE", Array(customer_ids, charge_dates, amounts))
        Exit Function
    #End If
failed:
    MRR_TABLE = Err.Description
End Function

Function PARETO_FIT(frequency, recency, T, Optional penalizer)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PARETO_FIT = XLPy.CallUDF("clv_xl.excel.udfs", "PARETO_FIT", Array(frequency, recency, T, penalizer), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        PARETO_FIT = XLPy.CallUDF("clv_xl.excel.udfs", "PARETO_FIT", Array(frequency, recency, T, penalizer))
        Exit Function
    #End If
failed:
    PARETO_FIT = Err.Description
End Function

Function P_ALIVE(r, alpha, a, b, frequency, recency, T)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        P_ALIVE = XLPy.CallUDF("clv_xl.excel.udfs", "P_ALIVE", Array(r, alpha, a, b, frequency, recency, T), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        P_ALIVE = XLPy.CallUDF("clv_xl.excel.udfs", "P_ALIVE", Array(r, alpha, a, b, frequency, recency, T))
        Exit Function
    #End If
failed:
    P_ALIVE = Err.Description
End Function

Function RETENTION_RATE(customers_at_start, customers_at_end, new_customers)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        RETENTION_RATE = XLPy.CallUDF("clv_xl.excel.udfs", "RETENTION_RATE", Array(customers_at_start, customers_at_end, new_customers), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        RETENTION_RATE = XLPy.CallUDF("clv_xl.excel.udfs", "RETENTION_RATE", Array(customers_at_start, customers_at_end, new_customers))
        Exit Function
    #End If
failed:
    RETENTION_RATE = Err.Description
End Function

Function SBG_DERL(alpha, beta, discount_rate, Optional renewals)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SBG_DERL = XLPy.CallUDF("clv_xl.excel.udfs", "SBG_DERL", Array(alpha, beta, discount_rate, renewals), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        SBG_DERL = XLPy.CallUDF("clv_xl.excel.udfs", "SBG_DERL", Array(alpha, beta, discount_rate, renewals))
        Exit Function
    #End If
failed:
    SBG_DERL = Err.Description
End Function

Function SBG_FIT(survival, Optional cohort_size)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SBG_FIT = XLPy.CallUDF("clv_xl.excel.udfs", "SBG_FIT", Array(survival, cohort_size), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        SBG_FIT = XLPy.CallUDF("clv_xl.excel.udfs", "SBG_FIT", Array(survival, cohort_size))
        Exit Function
    #End If
failed:
    SBG_FIT = Err.Description
End Function

Function SBG_RETENTION(alpha, beta, t)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SBG_RETENTION = XLPy.CallUDF("clv_xl.excel.udfs", "SBG_RETENTION", Array(alpha, beta, t), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        SBG_RETENTION = XLPy.CallUDF("clv_xl.excel.udfs", "SBG_RETENTION", Array(alpha, beta, t))
        Exit Function
    #End If
failed:
    SBG_RETENTION = Err.Description
End Function

Function SBG_SURVIVAL(alpha, beta, t)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SBG_SURVIVAL = XLPy.CallUDF("clv_xl.excel.udfs", "SBG_SURVIVAL", Array(alpha, beta, t), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        SBG_SURVIVAL = XLPy.CallUDF("clv_xl.excel.udfs", "SBG_SURVIVAL", Array(alpha, beta, t))
        Exit Function
    #End If
failed:
    SBG_SURVIVAL = Err.Description
End Function

' BGNBD_FIT: category=CLV; frequency=Repeat purchases of each customer (a column; CLV_SUMMARY's frequency).; recency=Time from first to last purchase of each customer (same unit as T).; T=Time from first purchase to the end of observation of each customer (age).; penalizer=L2 penalty on the parameters, 0 or more (0 = plain maximum likelihood). Optional, default 0.
' BGNBD_PURCHASES: category=CLV; r=BG/NBD shape r of the purchase-rate gamma (from BGNBD_FIT).; alpha=BG/NBD scale alpha of the purchase-rate gamma (from BGNBD_FIT).; a=BG/NBD drop-out beta parameter a (from BGNBD_FIT).; b=BG/NBD drop-out beta parameter b (from BGNBD_FIT).; t=Length of the future period, in the unit of recency and T (e.g. 39 weeks).; frequency=Repeat purchases of each customer (a column; CLV_SUMMARY's frequency).; recency=Time from first to last purchase of each customer (same unit as T).; T=Time from first purchase to the end of observation of each customer (age).
' CLV_PREDICTED: category=CLV; r=BG/NBD shape r of the purchase-rate gamma (from BGNBD_FIT).; alpha=BG/NBD scale alpha of the purchase-rate gamma (from BGNBD_FIT).; a=BG/NBD drop-out beta parameter a (from BGNBD_FIT).; b=BG/NBD drop-out beta parameter b (from BGNBD_FIT).; p=Gamma-Gamma shape p (from GG_FIT).; q=Gamma-Gamma shape q (from GG_FIT).; gamma=Gamma-Gamma scale gamma (from GG_FIT).; frequency=Repeat purchases of each customer (a column; CLV_SUMMARY's frequency).; recency=Time from first to last purchase of each customer (same unit as T).; T=Time from first purchase to the end of observation of each customer (age).; monetary_value=Mean value of each customer's repeat purchases (CLV_SUMMARY's monetary_value).; horizon=Forecast length, in time_unit (e.g. 52 with weeks = one year).; time_unit=Unit of recency, T, horizon and of the fitted BG/NBD: D, W, M or Y (required: no hidden unit).; discount_rate=YEARLY discount rate, 0 to 1, converted to time_unit. Optional, default 0.; margin=Gross margin fraction, 0 to 1 (1 = revenue). Optional, default 1.
' GG_FIT: category=CLV; frequency=Repeat purchases of each customer (a column; CLV_SUMMARY's frequency).; monetary_value=Mean value of each customer's repeat purchases (CLV_SUMMARY's monetary_value).
' GG_SPEND: category=CLV; p=Gamma-Gamma shape p (from GG_FIT).; q=Gamma-Gamma shape q (from GG_FIT).; gamma=Gamma-Gamma scale gamma (from GG_FIT).; frequency=Repeat purchases of each customer (a column; CLV_SUMMARY's frequency).; monetary_value=Mean value of each customer's repeat purchases (CLV_SUMMARY's monetary_value).
' P_ALIVE: category=CLV; r=BG/NBD shape r of the purchase-rate gamma (from BGNBD_FIT).; alpha=BG/NBD scale alpha of the purchase-rate gamma (from BGNBD_FIT).; a=BG/NBD drop-out beta parameter a (from BGNBD_FIT).; b=BG/NBD drop-out beta parameter b (from BGNBD_FIT).; frequency=Repeat purchases of each customer (a column; CLV_SUMMARY's frequency).; recency=Time from first to last purchase of each customer (same unit as T).; T=Time from first purchase to the end of observation of each customer (age).
' MBGNBD_FIT: category=CLV; frequency=Repeat purchases of each customer (a column; CLV_SUMMARY's frequency).; recency=Time from first to last purchase of each customer (same unit as T).; T=Time from first purchase to the end of observation of each customer (age).; penalizer=L2 penalty on the parameters, 0 or more (0 = plain maximum likelihood). Optional, default 0.
' PARETO_FIT: category=CLV; frequency=Repeat purchases of each customer (a column; CLV_SUMMARY's frequency).; recency=Time from first to last purchase of each customer (same unit as T).; T=Time from first purchase to the end of observation of each customer (age).; penalizer=L2 penalty on the parameters, 0 or more (0 = plain maximum likelihood). Optional, default 0.
' BGBB_FIT: category=CLV; frequency=Purchases of each customer at the opportunities after the first.; recency=Opportunity of each customer's last purchase (0 if none).; opportunities=Opportunities each customer had after the first purchase.; customers=Customers each row stands for (optional; empty = 1 each). Optional, default 1.
' MODEL_PURCHASES: category=CLV; model=Purchase model: bgnbd, mbgnbd, pareto_nbd or bgbb.; params=The model's four parameters: the row a *_FIT function spilled (its first four numbers are used; headers are skipped).; t=Length of the future period in the model's unit (opportunities for bgbb).; frequency=Repeat purchases of each customer (a column; CLV_SUMMARY's frequency).; recency=Time from first to last purchase of each customer (same unit as T).; T=Time from first purchase to the end of observation of each customer (age).
' MODEL_P_ALIVE: category=CLV; model=Purchase model: bgnbd, mbgnbd, pareto_nbd or bgbb.; params=The model's four parameters: the row a *_FIT function spilled (its first four numbers are used; headers are skipped).; frequency=Repeat purchases of each customer (a column; CLV_SUMMARY's frequency).; recency=Time from first to last purchase of each customer (same unit as T).; T=Time from first purchase to the end of observation of each customer (age).
' MODEL_RESIDUAL: category=CLV; model=Purchase model: bgnbd, mbgnbd, pareto_nbd or bgbb.; params=The model's four parameters: the row a *_FIT function spilled (its first four numbers are used; headers are skipped).; frequency=Repeat purchases of each customer (a column; CLV_SUMMARY's frequency).; recency=Time from first to last purchase of each customer (same unit as T).; T=Time from first purchase to the end of observation of each customer (age).; discount_rate=Discount rate PER PERIOD of the model's unit (per opportunity for bgbb), above 0.
' CAC: category=CLV; spend=Sales and marketing spend over the period; 0 or more.; new_customers=Customers acquired over the same period; more than 0.
' CAC_PAYBACK: category=CLV; cac=Customer acquisition cost, in currency; 0 or more.; revenue_per_period=Revenue per customer per period (e.g. monthly); more than 0.; gross_margin=Gross margin fraction, above 0 and at most 1. Optional, default 1.
' CHURN_RATE: category=CLV; customers_at_start=Customers at the start of the period; more than 0.; customers_lost=Of those, customers lost during the period.
' CLV: category=CLV; avg_order_value=Average order value (AOV), in currency; 0 or more.; purchases_per_year=Purchases per customer per year; 0 or more.; lifespan_years=Expected customer lifespan, in years; 0 or more.; margin=Gross margin as a fraction of revenue, 0 to 1 (1 = revenue). Optional, default 1.; discount_rate=Yearly discount rate, 0 to 1 (0 = no discounting). Optional, default 0.
' CLV_RETENTION: category=CLV; margin=Margin per customer per period, in currency.; retention_rate=Share of customers kept from one period to the next, 0 to 1.; discount_rate=Discount rate per period, 0 to 1.; first_period_counted=TRUE to count this period's margin too. Optional, default FALSE.
' CLV_SUMMARY: category=CLV; customer_ids=Customer id of each order (a column: id, email, ...).; order_dates=Order date of each order (a column of dates), same length as customer_ids.; amounts=Amount of each order (a column of numbers), same length as customer_ids.; observation_end=Last day of the observation period (optional; empty = the last order date).; time_unit=Unit of recency and T: D (days), W (weeks), M (months) or Y (years). Optional, default D.
' COHORT_RETENTION: category=CLV; customer_ids=Customer id of each order (a column: id, email, ...).; order_dates=Order date of each order (a column of dates), same length as customer_ids.; period=Cohort period: D, W, M (month), Q or Y. Optional, default M.
' LIFESPAN: category=CLV; churn_rate=Share of customers lost per period, above 0 and at most 1 (e.g. 0.05 for 5%).
' LTV_CAC: category=CLV; ltv=Customer lifetime value, in currency.; cac=Customer acquisition cost, in currency; more than 0.
' LTV_SUBSCRIPTION: category=CLV; arpa=Average revenue per account per period (e.g. monthly); 0 or more.; churn_rate=Share of customers lost per period, above 0 and at most 1 (e.g. 0.05 for 5%).; gross_margin=Gross margin as a fraction of revenue, 0 to 1 (1 = revenue). Optional, default 1.
' RETENTION_RATE: category=CLV; customers_at_start=Customers at the start of the period (S); more than 0.; customers_at_end=Customers at the end of the period (E).; new_customers=New customers acquired during the period (N).
' MRR_TABLE: category=CLV; customer_ids=Customer id of each order (a column: id, email, ...).; charge_dates=Date of each charge or paid invoice, same length as customer_ids.; amounts=Amount of each charge, same length as customer_ids.
' SBG_FIT: category=CLV; survival=The cohort at the start of periods 0, 1, 2, ...: shares, % or head counts (a column; it may not rise).; cohort_size=Customers in the cohort, for standard errors (optional; empty = none unless survival holds head counts).
' SBG_SURVIVAL: category=CLV; alpha=sBG alpha of the churn-probability beta (from SBG_FIT).; beta=sBG beta of the churn-probability beta (from SBG_FIT).; t=Period number t (whole, e.g. 1 for one year or month after the start).
' SBG_RETENTION: category=CLV; alpha=sBG alpha of the churn-probability beta (from SBG_FIT).; beta=sBG beta of the churn-probability beta (from SBG_FIT).; t=Period number t (whole, e.g. 1 for one year or month after the start).
' SBG_DERL: category=CLV; alpha=sBG alpha of the churn-probability beta (from SBG_FIT).; beta=sBG beta of the churn-probability beta (from SBG_FIT).; discount_rate=Discount rate per period, above 0 (e.g. 0.1 a year).; renewals=Renewals each customer has made so far (0 in their first period). Optional, default 0.
